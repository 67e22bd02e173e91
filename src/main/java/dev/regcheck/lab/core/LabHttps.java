package dev.regcheck.lab.core;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The lab's small in-process HTTPS servers (token endpoint, OAuth): 127.0.0.1, any free port, two daemon threads. */
public final class LabHttps {
  private LabHttps() {}

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
}
