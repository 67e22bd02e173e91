package dev.regcheck.lab;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the imitated control-plane components in order on one daemon thread, every 200 ms.
 * A failing component is logged (message only) and retried on the next tick.
 */
final class ControlPlane implements AutoCloseable {
  static final long TICK_MILLIS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final List<Controller> controllers;
  private final ScheduledExecutorService executor;

  ControlPlane(List<Controller> controllers) {
    this.controllers = List.copyOf(controllers);
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "lab-control-plane");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** One synchronous pass of every component (used to settle the seeded state). */
  void tickNow() {
    tick();
  }

  void start() {
    executor.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    for (Controller controller : controllers) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      try {
        controller.reconcile();
      } catch (RuntimeException e) {
        LOG.debug("{} will retry: {}", controller.getClass().getSimpleName(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
