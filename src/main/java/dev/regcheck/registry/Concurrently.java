package dev.regcheck.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The blobs of one image moved side by side, a bounded number at once, as skopeo moves layers. */
final class Concurrently {
  /** One blob's transfer. */
  interface Transfer<T, R> {
    R apply(T item) throws IOException;
  }

  private static final long WAIT_SECONDS = 120;

  private Concurrently() {}

  /**
   * Applies {@code transfer} to every item, at most {@code parallel} at once; the results in the items'
   * order. The first failure (in the items' order) is thrown once the others have ended or been cancelled.
   */
  static <T, R> List<R> map(List<T> items, int parallel, Transfer<T, R> transfer) throws IOException {
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel must be at least 1, not " + parallel);
    }
    if (items.size() <= 1 || parallel == 1) {
      List<R> out = new ArrayList<>();
      for (T item : items) {
        out.add(transfer.apply(item));
      }
      return out;
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, items.size()), r -> {
      Thread t = new Thread(r, "registry-transfer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> transfer.apply(item)));
      }
      List<R> out = new ArrayList<>();
      for (Future<R> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          if (cause instanceof RuntimeException rt) {
            throw rt;
          }
          throw new IOException(cause);
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while moving blobs");
    } finally {
      pool.shutdownNow();
      try {
        // the others end (a transfer is not interruptible mid-read) before the caller goes on: nothing writes
        // into a sink after the call has returned
        pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
