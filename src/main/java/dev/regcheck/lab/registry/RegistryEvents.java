package dev.regcheck.lab.registry;

import dev.regcheck.lab.core.LabHttps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import dev.regcheck.lab.core.LabException;

/**
 * The endpoint the lab's registries send their notifications to ({@code notifications.endpoints}
 * in their config): plain HTTP on 127.0.0.1. It takes no credential: Distribution logs its
 * endpoints' headers at start, so a shared secret would land in the pod log; any local process
 * could post here, which a lab on 127.0.0.1 accepts.
 * Manifest {@code push} events become Image and ImageStream objects through {@link ImageRecorder}.
 * A failure answers 500, so the registry retries (its threshold and back-off).
 */
public final class RegistryEvents implements AutoCloseable {
  static final String PATH = "/events";
  static final Set<String> MANIFEST_TYPES = Set.of(
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final ImageRecorder recorder;

  private RegistryEvents(HttpServer server, ExecutorService executor, ImageRecorder recorder) {
    this.server = server;
    this.executor = executor;
    this.recorder = recorder;
  }

  public static RegistryEvents start(ImageRecorder recorder) throws LabException {
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "lab-registry-events");
      thread.setDaemon(true);
      return thread;
    });
    try {
      LabHttps.withoutDelayedAcks();
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      server.setExecutor(executor);
      RegistryEvents events = new RegistryEvents(server, executor, recorder);
      server.createContext(PATH, events::handle);
      server.start();
      return events;
    } catch (IOException e) {
      executor.shutdownNow();
      throw new LabException("the registry notification endpoint could not start: " + e.getMessage(), e);
    }
  }

  /** Where the registries post: {@code http://127.0.0.1:<port>/events}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  private void handle(HttpExchange exchange) throws IOException {
    int code;
    try {
      code = process(exchange);
    } catch (IOException | RuntimeException e) {
      code = 500; // the registry retries
    }
    exchange.sendResponseHeaders(code, -1);
    exchange.close();
  }

  private int process(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      return 405;
    }
    JsonNode envelope;
    try (InputStream in = exchange.getRequestBody()) {
      envelope = JSON.readTree(in);
    }
    for (JsonNode event : envelope.path("events")) {
      JsonNode target = event.path("target");
      String mediaType = target.path("mediaType").asText("");
      if ("push".equals(event.path("action").asText()) && MANIFEST_TYPES.contains(mediaType)) {
        String tag = target.path("tag").asText(null);
        recorder.pushed(target.path("repository").asText(), tag == null || tag.isEmpty() ? null : tag,
            target.path("digest").asText(), mediaType);
      }
    }
    return 200;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
