package dev.regcheck.lab.core;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the imitated control-plane components in order on one daemon thread, every 200 ms.
 * A failing component (any {@link Throwable}, so an {@link Error} too) is logged and retried on the
 * next tick; the other components still run and the schedule keeps going. Logs carry the
 * component, the throwable's class and its message only (no objects, tokens or stack traces at
 * WARN); a failure that repeats unchanged is logged at DEBUG so a persistent one does not flood.
 */
public final class ControlPlane implements AutoCloseable {
  public static final long TICK_MILLIS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final List<Controller> controllers;
  private final ScheduledExecutorService executor;
  /** The last failure logged at WARN per component (touched by the tick thread only). */
  private final Map<Controller, String> lastFailure = new IdentityHashMap<>();

  public ControlPlane(List<Controller> controllers) {
    this.controllers = List.copyOf(controllers);
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "lab-control-plane");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** One synchronous pass of every component (used to settle the seeded state). */
  public void tickNow() {
    tick();
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    for (Controller controller : controllers) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      try {
        controller.reconcile();
        lastFailure.remove(controller);
      } catch (Throwable t) { // NOPMD: an Error must not end the scheduled task
        failed(controller, t);
      }
    }
  }

  /** Logs a component's failure; never throws, so the tick goes on to the next component. */
  private void failed(Controller controller, Throwable t) {
    try {
      String name = controller.getClass().getSimpleName();
      String what = t.getClass().getName() + ": " + t.getMessage();
      boolean repeated = what.equals(lastFailure.put(controller, what));
      if (t instanceof RuntimeException || repeated) {
        // API conflicts and not-yet-existing objects are routine in a level-triggered loop
        LOG.debug("{} will retry: {}", name, what);
      } else {
        LOG.warn("{} failed and will retry on the next tick: {}", name, what);
      }
    } catch (Throwable ignored) { // NOPMD: logging itself failed (e.g. out of memory); keep ticking
      // nothing more can be done here
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
