package dev.regcheck.lab.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.lab.apiserver.streams.PortForwardStreams;
import dev.regcheck.lab.core.LabException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What clients reach as the lab's API server: an HTTPS front (the mock's own certificate) on
 * 127.0.0.1 that passes every request to fabric8's mock server, and serves watches the way
 * kube-apiserver does and the mock cannot: as a plain HTTP response that streams one JSON event
 * per line ({@code kubectl get -w}, {@code kubectl wait}, {@code oc rollout status}). The mock
 * streams watches only over WebSocket, so the front opens one there and relays its events; like
 * a real watch from a resourceVersion, it leaves out the ADDED events of objects the client had
 * already listed, and it ends after {@code timeoutSeconds}. Upgrade requests (fabric8's
 * WebSocket watches) are relayed both ways, except {@code pods/<name>/portforward}, which the API
 * server decides on (authentication, authorization, the pod) and {@link PortForwardStreams} serves
 * as the kubelet would. HTTP/1.1 only, where a real server also offers h2. The identity headers of
 * the lab's own front proxy pass to the API server, which takes them only with the proxy's secret.
 */
final class ApiFront implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HOP_HEADERS = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
      "host");
  private static final long START_LIMIT_SECONDS = 10;
  private static final Pattern PORT_FORWARD = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward$");

  /** The API server's decision on a port-forward: who asks (their request's headers), which pod. */
  @FunctionalInterface
  interface PortForwardGate {
    PortForwardStreams.Admission admit(UnaryOperator<String> headers, String namespace, String pod, String pathAndQuery);
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final HttpClient client;
  private final int backendPort;
  private final PortForwardGate gate;
  private final String host;
  private final PortForwardStreams portForwards;

  private ApiFront(Vertx vertx, HttpServer server, HttpClient client, String host, int backendPort,
      PortForwardGate gate) {
    this.vertx = vertx;
    this.host = host;
    this.server = server;
    this.client = client;
    this.backendPort = backendPort;
    this.gate = gate;
    this.portForwards = new PortForwardStreams(vertx);
  }

  /** Starts the front on a free port of {@code host} (127.0.0.1, or the proxied address) with this certificate and key (PEM). */
  static ApiFront start(String host, int backendPort, String certificatePem, String keyPem, PortForwardGate gate)
      throws LabException {
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(0).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(certificatePem))
            .setKeyValue(Buffer.buffer(keyPem))).setAlpnVersions(List.of(HttpVersion.HTTP_1_1)).setUseAlpn(true)
        .setWebSocketSubProtocols(List.of(PortForwardStreams.PROTOCOL)));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false).setDefaultHost("127.0.0.1").setDefaultPort(backendPort).setMaxPoolSize(64)
        .setMaxWebSockets(256).setProtocolVersion(HttpVersion.HTTP_1_1));
    ApiFront front = new ApiFront(vertx, server, client, host, backendPort, gate);
    server.requestHandler(front::handle);
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(START_LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      front.close();
      throw new LabException("the lab API server's front could not listen on " + host + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      front.close();
      throw new LabException("interrupted while starting the lab API server's front", e);
    }
    return front;
  }

  int port() {
    return server.actualPort();
  }

  String host() {
    return host;
  }

  private void handle(HttpServerRequest request) {
    String upgrade = request.getHeader("Upgrade");
    Matcher portForward = PORT_FORWARD.matcher(request.path());
    if (portForward.matches()) {
      forwardPorts(request, portForward.group(1), portForward.group(2));
    } else if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
      relayWebSocket(request);
    } else if (request.method().name().equals("GET") && isWatch(request)) {
      streamWatch(request);
    } else {
      relay(request);
    }
  }

  /** The API server decides (off the event loop: it reads RBAC and the pod), then the stream is served. */
  private void forwardPorts(HttpServerRequest request, String namespace, String pod) {
    request.pause();
    String upgrade = request.getHeader("Upgrade");
    vertx.<PortForwardStreams.Admission>executeBlocking(() -> gate.admit(request::getHeader, namespace, pod, request.uri()), false)
        .onFailure(e -> fail(request.response(), e)).onSuccess(admission -> {
          if (admission.code() == 0 && (upgrade == null || !upgrade.equalsIgnoreCase("websocket"))) {
            // kubectl's SPDY upgrade (and a plain request) are not served here
            request.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\"Upgrade request required\",\"reason\":\"BadRequest\",\"code\":400}");
          } else {
            portForwards.serve(request, admission);
          }
        });
  }

  private static boolean isWatch(HttpServerRequest request) {
    String watch = request.getParam("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  private void relay(HttpServerRequest request) {
    request.pause();
    RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri())
        .setHeaders(forwarded(request.headers()));
    client.request(options).onFailure(e -> fail(request.response(), e)).onSuccess(backend ->
        backend.send(request).onFailure(e -> fail(request.response(), e)).onSuccess(answer -> {
          HttpServerResponse response = request.response().setStatusCode(answer.statusCode());
          answer.headers().forEach(h -> {
            if (!HOP_HEADERS.contains(h.getKey().toLowerCase())) {
              response.headers().add(h.getKey(), h.getValue());
            }
          });
          if (!response.headers().contains("Content-Length")) {
            response.setChunked(true);
          }
          answer.pipeTo(response); // streamed as it comes: a 20,000-item list is not held twice

        }));
  }

  /** A watch as kube-apiserver serves it: chunked, one {@code {"type":…,"object":…}} per line. */
  private void streamWatch(HttpServerRequest request) {
    long since = parseLong(request.getParam("resourceVersion"));
    long timeout = parseLong(request.getParam("timeoutSeconds"));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(backendPort)
        .setSsl(true).setURI(request.uri()).setHeaders(forwarded(request.headers()));
    HttpServerResponse response = request.response();
    client.webSocket(options).onFailure(e -> fail(response, e)).onSuccess(socket -> {
      response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
      response.write("");
      socket.textMessageHandler(text -> {
        if (!response.ended() && !alreadyListed(text, since)) {
          response.write(text.strip() + "\n");
        }
      });
      socket.closeHandler(v -> {
        if (!response.ended()) {
          response.end();
        }
      });
      response.closeHandler(v -> socket.close());
      if (timeout > 0) {
        vertx.setTimer(TimeUnit.SECONDS.toMillis(timeout), id -> socket.close());
      }
    });
  }

  /** An ADDED event for an object no newer than the resourceVersion the client listed at. */
  private static boolean alreadyListed(String event, long since) {
    if (since <= 0) {
      return false;
    }
    try {
      JsonNode node = JSON.readTree(event);
      return "ADDED".equals(node.path("type").asText())
          && parseLong(node.path("object").path("metadata").path("resourceVersion").asText()) <= since;
    } catch (IOException e) {
      return false;
    }
  }

  private void relayWebSocket(HttpServerRequest request) {
    request.pause();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(backendPort)
        .setSsl(true).setURI(request.uri()).setHeaders(forwarded(request.headers()));
    String protocol = request.getHeader("Sec-WebSocket-Protocol");
    if (protocol != null) {
      options.setSubProtocols(List.of(protocol.split("\\s*,\\s*")));
    }
    client.webSocket(options).onFailure(e -> fail(request.response(), e)).onSuccess(backend ->
        request.toWebSocket().onFailure(e -> backend.close()).onSuccess(front -> {
          front.frameHandler(backend::writeFrame);
          backend.frameHandler(front::writeFrame);
          front.closeHandler(v -> backend.close());
          backend.closeHandler(v -> front.close());
        }));
  }

  private static MultiMap forwarded(MultiMap headers) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h -> {
      String name = h.getKey().toLowerCase();
      if (!HOP_HEADERS.contains(name) && !name.startsWith("sec-websocket")) {
        out.add(h.getKey(), h.getValue());
      }
    });
    return out;
  }

  private static long parseLong(String value) {
    try {
      return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void fail(HttpServerResponse response, Throwable e) {
    if (!response.headWritten()) {
      response.setStatusCode(502).putHeader("Content-Type", "application/json").end(
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
              + JSON.valueToTree(String.valueOf(e.getMessage())) + ",\"reason\":\"InternalError\",\"code\":502}");
    } else if (!response.ended()) {
      response.reset();
    }
  }

  @Override
  public void close() {
    portForwards.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(START_LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the event loop threads are daemons; nothing listens once the server is closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
