package dev.regcheck.lab.core;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The lab's small in-process HTTPS servers (token endpoint, OAuth): 127.0.0.1, any free port, two daemon threads. */
public final class LabHttps {
  private LabHttps() {}

  /**
   * Call before creating any of the JDK's HTTP servers. The JDK's server writes an answer's headers and body
   * apart; with Nagle's algorithm on, the body waits for the client's delayed ACK: 40 ms on every token and
   * every OAuth request (a token took 50 ms here, 10 ms without). The setting is read once, when the JDK's
   * server configuration is first loaded.
   */
  public static void withoutDelayedAcks() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * A server not yet started, presenting {@code serving}; add contexts, then {@code start()}.
   * Stop it with {@link #stop}.
   */
  public static HttpsServer create(String threadName, ServiceCa.Serving serving) throws IOException, GeneralSecurityException {
    ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
    try {
      withoutDelayedAcks();
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      server.setHttpsConfigurator(new HttpsConfigurator(serving.sslContext()));
      server.setExecutor(executor);
      return server;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
  }

  /** Stops the server and its threads (waiting up to 2 s for them). */
  public static void stop(HttpsServer server) {
    server.stop(0);
    if (server.getExecutor() instanceof ExecutorService executor) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The query parameters of a request (a {@code scope} parameter may hold several, space-separated). */
  public static Map<String, List<String>> query(URI uri) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      // a scope parameter may itself hold several space-separated scopes
      for (String v : "scope".equals(key) ? value.split(" ") : new String[] {value}) {
        if (!v.isEmpty()) {
          params.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
        }
      }
    }
    return params;
  }

  public static Optional<String> first(Map<String, List<String>> query, String key) {
    return Optional.ofNullable(query.get(key)).filter(l -> !l.isEmpty()).map(l -> l.get(0));
  }
}
