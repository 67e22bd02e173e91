package dev.regcheck.lab.core;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the imitated control-plane components in order on one daemon thread: 200 ms after the last
 * pass, or at once when something was written through the API ({@link #wake}, as a watch wakes a real
 * controller), and again straight after a pass that itself wrote, so that a change travels down the
 * chain (operator, deployment, kubelet, endpoints) in consecutive passes rather than one per 200 ms;
 * at most {@value #FOLLOW_UPS} passes follow one another before the 200 ms pause, so components that
 * keep writing (a hot-looping operator) cannot spin it.
 * A failing component (any {@link Throwable}, so an {@link Error} too) is logged and retried on the
 * next tick; the other components still run and the schedule keeps going. Logs carry the
 * component, the throwable's class and its message only (no objects, tokens or stack traces at
 * WARN); a failure that repeats unchanged is logged at DEBUG so a persistent one does not flood.
 */
public final class ControlPlane implements AutoCloseable {
  public static final long TICK_MILLIS = 200;
  /** Passes run back to back while each writes something, before the pause. */
  static final int FOLLOW_UPS = 4;
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final List<Controller> controllers;
  private final ExecutorService executor;
  /** The last failure logged at WARN per component (touched by the tick thread only). */
  private final Map<Controller, String> lastFailure = new IdentityHashMap<>();
  /** Writes seen through the API so far ({@link #wake}); a pass during which it moved wrote something. */
  private long writes;
  /** Set by {@link #close}: the loop ends even if a component swallowed the interrupt. */
  private volatile boolean closed;

  public ControlPlane(List<Controller> controllers) {
    this.controllers = List.copyOf(controllers);
    this.executor = Executors.newSingleThreadExecutor(runnable -> {
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
    executor.execute(this::loop);
  }

  /** Something was written through the API: the next pass starts now rather than after its pause. */
  public synchronized void wake() {
    writes++;
    notifyAll();
  }

  private synchronized long writes() {
    return writes;
  }

  private void loop() {
    int followUps = 0;
    while (!closed && !Thread.currentThread().isInterrupted()) {
      long before = writes();
      tick();
      long after = writes();
      if (after != before && followUps < FOLLOW_UPS) {
        followUps++;
        continue;
      }
      followUps = 0;
      try {
        synchronized (this) {
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
          // woken by a write made since the pass ended, or after the pause
          while (!closed && writes == after && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void tick() {
    for (Controller controller : controllers) {
      if (closed || Thread.currentThread().isInterrupted()) {
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
    closed = true;
    synchronized (this) {
      notifyAll();
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
