package dev.regcheck.lab.apiserver.streams;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code pods/<name>/portforward} over WebSocket, as the API server proxies it to the kubelet and
 * the kubelet serves it with the {@code v4.channel.k8s.io} protocol (what fabric8 and kubectl's
 * WebSocket path speak): every requested port has a data channel ({@code 2i}) and an error channel
 * ({@code 2i+1}); the first message on each carries the port (two bytes, little-endian), every
 * later one starts with its channel byte. The connection to the port inside the pod is made when
 * the stream opens, as CRI-O does, so a port nothing listens on (a crash-looping container) is an
 * error on the error channel and a closed stream: the tunnel is set up, and fails on first use.
 */
public final class PortForwardStreams implements AutoCloseable {
  /** The one protocol served (kubectl's SPDY upgrade and the base64 variant are not). */
  public static final String PROTOCOL = "v4.channel.k8s.io";
  private static final int CONNECT_MILLIS = 5_000;

  /** Where a port of the admitted pod is listened on, if anywhere. */
  @FunctionalInterface
  public interface PortLookup {
    Optional<InetSocketAddress> listening(int port);
  }

  /**
   * The API server's decision on an upgrade request: refused with an HTTP status and a
   * {@code Status} body, or admitted to a pod.
   */
  public record Admission(int code, String status, String podName, String podUid, PortLookup ports) {
    public static Admission refused(int code, String statusJson) {
      return new Admission(code, statusJson, null, null, null);
    }

    public static Admission to(String podName, String podUid, PortLookup ports) {
      return new Admission(0, null, podName, podUid, ports);
    }

    boolean admitted() {
      return code == 0;
    }
  }

  private final NetClient net;

  public PortForwardStreams(Vertx vertx) {
    this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_MILLIS));
  }

  /**
   * Answers one upgrade request the API server has decided on; {@code request} is paused, and
   * only the admitted ones become streams.
   */
  public void serve(HttpServerRequest request, Admission admission) {
    if (!admission.admitted()) {
      refuse(request, admission.code(), admission.status());
      return;
    }
    List<Integer> ports = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    request.params().getAll("ports").forEach(v -> asked.addAll(Arrays.asList(v.split(","))));
    request.params().getAll("port").forEach(asked::add);
    for (String value : asked) {
      try {
        int port = Integer.parseInt(value.trim());
        if (port <= 0 || port > 65535) {
          refuse(request, 400, badRequest("port \"" + value.trim() + "\" must be > 0 and < 65536"));
          return;
        }
        ports.add(port);
      } catch (NumberFormatException e) {
        refuse(request, 400, badRequest("unable to parse \"" + value.trim() + "\" as a port"));
        return;
      }
    }
    if (ports.isEmpty()) {
      refuse(request, 400, badRequest("query parameter \"port\" is required"));
      return;
    }
    String offered = Optional.ofNullable(request.getHeader("Sec-WebSocket-Protocol")).orElse("");
    if (Arrays.stream(offered.split(",")).map(String::trim).noneMatch(PROTOCOL::equals)) {
      refuse(request, 400, badRequest("requested protocol(s) are not supported: [" + offered + "]; supports ["
          + PROTOCOL + "]"));
      return;
    }
    request.toWebSocket().onSuccess(socket -> open(socket, admission, ports)).onFailure(e -> { });
    request.resume();
  }

  private void open(ServerWebSocket socket, Admission admission, List<Integer> ports) {
    socket.pause();
    NetSocket[] pods = new NetSocket[ports.size()];
    socket.exceptionHandler(e -> socket.close()); // the client went away: its pods' connections follow
    socket.binaryMessageHandler(message -> {
      if (message.length() == 0) {
        return;
      }
      int channel = message.getByte(0) & 0xff;
      NetSocket pod = channel % 2 == 0 && channel / 2 < pods.length ? pods[channel / 2] : null;
      if (pod != null && message.length() > 1 && !socket.isClosed()) {
        pod.write(message.getBuffer(1, message.length()));
        if (pod.writeQueueFull()) {
          socket.pause();
          pod.drainHandler(v -> socket.resume());
        }
      }
    });
    socket.closeHandler(v -> Arrays.stream(pods).filter(p -> p != null).forEach(NetSocket::close));
    AtomicInteger pending = new AtomicInteger(ports.size());
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i);
      socket.writeBinaryMessage(header(2 * i, port));
      socket.writeBinaryMessage(header(2 * i + 1, port));
    }
    for (int i = 0; i < ports.size(); i++) {
      int index = i;
      int port = ports.get(i);
      Optional<InetSocketAddress> target = admission.ports().listening(port);
      if (target.isEmpty()) {
        failed(socket, index, port, admission);
        continue;
      }
      net.connect(target.get().getPort(), target.get().getHostString()).onComplete(result -> {
        if (result.failed()) {
          failed(socket, index, port, admission);
        } else {
          NetSocket pod = result.result();
          if (socket.isClosed()) {
            pod.close(); // the client left while the connection was made
            return;
          }
          pods[index] = pod;
          pod.exceptionHandler(e -> pod.close());
          pod.handler(data -> {
            if (socket.isClosed()) {
              pod.close();
              return;
            }
            socket.writeBinaryMessage(Buffer.buffer(1 + data.length()).appendByte((byte) (2 * index)).appendBuffer(data));
            if (socket.writeQueueFull()) {
              pod.pause();
              socket.drainHandler(v -> pod.resume());
            }
          });
          pod.closeHandler(v -> socket.close());
          if (pending.decrementAndGet() == 0) {
            socket.resume();
          }
        }
      });
    }
  }

  /** What the kubelet writes when CRI-O finds nothing listening: on the port's error channel, then the end. */
  private static void failed(ServerWebSocket socket, int index, int port, Admission admission) {
    if (socket.isClosed()) {
      return;
    }
    String message = "error forwarding port " + port + " to pod " + admission.podUid() + ", uid : failed to "
        + "connect to localhost:" + port + " inside namespace \"" + admission.podUid() + "\", IPv4: dial tcp4 "
        + "127.0.0.1:" + port + ": connect: connection refused IPv6 dial tcp6 [::1]:" + port
        + ": connect: connection refused ";
    socket.writeBinaryMessage(Buffer.buffer().appendByte((byte) (2 * index + 1))
        .appendBytes(message.getBytes(StandardCharsets.UTF_8)));
    socket.close();
  }

  private static Buffer header(int channel, int port) {
    return Buffer.buffer(3).appendByte((byte) channel).appendByte((byte) (port & 0xff))
        .appendByte((byte) ((port >> 8) & 0xff));
  }

  private static String badRequest(String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
        + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"reason\":\"BadRequest\",\"code\":400}";
  }

  private static void refuse(HttpServerRequest request, int code, String status) {
    request.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(status);
  }

  @Override
  public void close() {
    net.close();
  }
}
