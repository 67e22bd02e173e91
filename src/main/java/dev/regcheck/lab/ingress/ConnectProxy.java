package dev.regcheck.lab.ingress;

import dev.regcheck.lab.core.LabException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lab workstation's HTTP proxy (proxy-required): HTTP CONNECT only, on 127.0.0.1, resolving
 * the cluster's names as the site's proxy would ({@code api.<domain>} and {@code *.apps.<domain>}
 * to the lab's API front and router, whose ports it also supplies: the lab's servers cannot listen
 * on 6443 and 443), and connecting from {@link #BEHIND}, the address the servers behind it use
 * (the API front listens only there, the router accepts only connections from there). Anything it
 * cannot resolve is 502, any other method 405. Each tunnel is recorded (host:port asked).
 */
public final class ConnectProxy implements AutoCloseable {
  /** The network behind the proxy: its outgoing address, and where the API front listens when a proxy is required. */
  public static final String BEHIND = "127.0.0.2";
  private static final long START_SECONDS = 10;

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final Map<String, InetSocketAddress> names;
  private final List<String> tunnels = new CopyOnWriteArrayList<>();

  private ConnectProxy(Vertx vertx, Map<String, InetSocketAddress> names) {
    this.vertx = vertx;
    this.names = Map.copyOf(names);
    this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    this.client = vertx.createNetClient(new NetClientOptions().setLocalAddress(BEHIND).setConnectTimeout(5_000));
  }

  /**
   * Starts the proxy. {@code names}: lower-case host names (or {@code *.<domain>} wildcards of one
   * label) to the address a tunnel for them goes to.
   */
  public static ConnectProxy start(Map<String, InetSocketAddress> names) throws LabException {
    ConnectProxy proxy = new ConnectProxy(Vertx.vertx(), names);
    proxy.server.connectHandler(proxy::accept);
    try {
      proxy.server.listen().toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      proxy.close();
      throw new LabException("the lab's HTTP proxy could not listen on 127.0.0.1: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      proxy.close();
      throw new LabException("interrupted while starting the lab's HTTP proxy", e);
    }
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>}, the workstation's HTTPS_PROXY. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The {@code host:port} of every tunnel asked for, oldest first. */
  public List<String> tunnels() {
    return List.copyOf(tunnels);
  }

  private void accept(NetSocket socket) {
    socket.pause();
    RecordParser head = RecordParser.newDelimited("\r\n\r\n");
    head.maxRecordSize(16 * 1024);
    head.handler(request -> {
      socket.handler(null);
      String line = request.toString("ISO-8859-1").lines().findFirst().orElse("");
      String[] parts = line.split(" ");
      if (parts.length != 3 || !parts[0].equals("CONNECT")) {
        answer(socket, "405 Method Not Allowed");
        return;
      }
      tunnel(socket, parts[1]);
    });
    head.exceptionHandler(e -> socket.close());
    socket.handler(head);
    socket.resume();
  }

  private void tunnel(NetSocket socket, String authority) {
    int colon = authority.lastIndexOf(':');
    String host = colon > 0 ? authority.substring(0, colon).replaceAll("^\\[|\\]$", "").toLowerCase(Locale.ROOT) : "";
    int port;
    try {
      port = Integer.parseInt(authority.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      answer(socket, "400 Bad Request");
      return;
    }
    tunnels.add(host + ":" + port);
    Optional<InetSocketAddress> target = resolve(host, port);
    if (target.isEmpty()) {
      answer(socket, "502 Bad Gateway");
      return;
    }
    socket.pause();
    client.connect(target.get().getPort(), target.get().getHostString()).onComplete(result -> {
      if (result.failed()) {
        answer(socket, "502 Bad Gateway");
        return;
      }
      NetSocket upstream = result.result();
      socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
      socket.pipeTo(upstream);
      upstream.pipeTo(socket);
      socket.resume();
    });
  }

  /** A name of the map (exact, else its one-label wildcard) with its port, or an IP literal as asked. */
  private Optional<InetSocketAddress> resolve(String host, int port) {
    InetSocketAddress mapped = names.get(host);
    if (mapped == null && host.indexOf('.') > 0) {
      mapped = names.get("*" + host.substring(host.indexOf('.')));
    }
    if (mapped != null) {
      return Optional.of(mapped.getPort() == 0 ? new InetSocketAddress(mapped.getHostString(), port) : mapped);
    }
    return host.matches("[0-9.]+") ? Optional.of(new InetSocketAddress(host, port)) : Optional.empty();
  }

  private static void answer(NetSocket socket, String status) {
    socket.write("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .onComplete(v -> socket.close());
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // event-loop threads are daemons; nothing listens once the server is closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
