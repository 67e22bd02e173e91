package dev.regcheck.wait;

import dev.regcheck.assertions.CheckFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A named, bounded, self-diagnosing wait. It polls {@code probe} until {@code done}; a terminal
 * state ({@link #failFastWhen}) ends it at once with the reason; a timeout reports what was last
 * seen; an interrupt fails (and keeps the thread's interrupt flag). It never returns normally
 * unless the condition really held.
 */
public final class Wait<T> {

  private final String description;
  private final Supplier<T> probe;
  private Predicate<T> done = Objects::nonNull;
  private Function<T, Optional<String>> terminal = v -> Optional.empty();
  private Function<T, String> show = String::valueOf;
  private Function<T, List<CheckFailure.Evidence>> evidence = v -> List.of();
  private Duration timeout = Duration.ofMinutes(5);
  private Duration poll = Duration.ofSeconds(1);

  /** Who is told of a wait that has gone on for {@link #NOTICE} or more (a terminal's progress line). */
  public interface Watcher {
    /** The wait for {@code what} has lasted {@code sofar}; told at each poll from then on. */
    void waiting(String what, Duration sofar);

    /** That wait is over, however it ended. */
    void over();
  }

  /** How long a wait goes unmentioned. */
  public static final Duration NOTICE = Duration.ofSeconds(2);
  private static volatile Watcher watcher;

  /** Tells {@code w} (null: nobody) of every long wait in this process from now on. */
  public static void watchedBy(Watcher w) {
    watcher = w;
  }

  private Wait(String description, Supplier<T> probe) {
    this.description = description;
    this.probe = probe;
  }

  public static <T> Wait<T> named(String description, Supplier<T> probe) {
    return new Wait<>(description, probe);
  }

  public Wait<T> until(Predicate<T> condition) {
    this.done = condition;
    return this;
  }

  /** A state that will not change by waiting: the wait ends with this reason. */
  public Wait<T> failFastWhen(Function<T, Optional<String>> reason) {
    this.terminal = reason;
    return this;
  }

  /** How the last observation is described on timeout. */
  public Wait<T> describedBy(Function<T, String> describe) {
    this.show = describe;
    return this;
  }

  /** Evidence attached when the wait fails (objects as YAML, events…). */
  public Wait<T> withEvidence(Function<T, List<CheckFailure.Evidence>> collect) {
    this.evidence = collect;
    return this;
  }

  public Wait<T> within(Duration timeout, Duration poll) {
    this.timeout = timeout;
    this.poll = poll.compareTo(timeout) > 0 ? timeout : poll;
    return this;
  }

  /** Waits; returns the observation that satisfied the condition. */
  public T await() {
    AtomicReference<T> last = new AtomicReference<>();
    AtomicReference<RuntimeException> lastError = new AtomicReference<>();
    if (Thread.currentThread().isInterrupted()) {
      throw interrupted(last.get());
    }
    long started = System.nanoTime();
    Watcher told = watcher;
    boolean[] mentioned = {false};
    try {
      Awaitility.await(description)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(poll)
          .pollInSameThread()
          .until(() -> {
            if (Thread.currentThread().isInterrupted()) {
              throw new Interrupted();
            }
            Duration sofar = Duration.ofNanos(System.nanoTime() - started);
            if (told != null && sofar.compareTo(NOTICE) >= 0) {
              mentioned[0] = true;
              told.waiting(description, sofar);
            }
            T value;
            try {
              value = probe.get();
            } catch (KubernetesClientException e) {
              if (e.getCode() == 401 || e.getCode() == 403) {
                throw new Refused(e); // waiting does not grant a permission or renew a session
              }
              lastError.set(e);
              return false;
            } catch (RuntimeException e) {
              lastError.set(e);
              return false;
            }
            lastError.set(null);
            last.set(value);
            if (done.test(value)) {
              return true;
            }
            Optional<String> reason = terminal.apply(value);
            if (reason.isPresent()) {
              throw new Terminal(reason.get());
            }
            return false;
          });
      return last.get();
    } catch (Interrupted i) {
      Thread.currentThread().interrupt();
      throw interrupted(last.get());
    } catch (Terminal t) {
      throw new CheckFailure(t.getMessage(), evidenceOf(last.get()));
    } catch (Refused r) {
      throw r.refusal;
    } catch (ConditionTimeoutException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(last.get());
      }
      String seen = lastError.get() != null
          ? "the last poll failed: " + lastError.get().getMessage()
          : last.get() == null ? "nothing was seen" : "last seen: " + show.apply(last.get());
      throw new CheckFailure("timed out after " + human(timeout) + " waiting for " + description + "; " + seen,
          evidenceOf(last.get()));
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw interrupted(last.get());
      }
      throw e;
    } finally {
      if (mentioned[0]) {
        told.over();
      }
    }
  }

  private CheckFailure interrupted(T last) {
    return new CheckFailure("interrupted while waiting for " + description
        + (last == null ? "" : "; last seen: " + show.apply(last)), evidenceOf(last));
  }

  private List<CheckFailure.Evidence> evidenceOf(T value) {
    if (value == null) {
      return List.of();
    }
    try {
      return new ArrayList<>(evidence.apply(value));
    } catch (RuntimeException e) {
      return List.of(new CheckFailure.Evidence("evidence-error", String.valueOf(e.getMessage())));
    }
  }

  static String human(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    return s % 60 == 0 && s >= 60 ? (s / 60) + "m" : s + "s";
  }

  /** Thrown inside the poll when the waiting thread was interrupted. */
  private static final class Interrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Interrupted() {
      super("interrupted", null, false, false);
    }
  }

  /** Thrown inside the poll to end the wait on a terminal state. */
  /** The API server refused the probe (401, 403): the wait ends and the refusal goes to the check. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient KubernetesClientException refusal;

    Refused(KubernetesClientException refusal) {
      super(null, null, false, false);
      this.refusal = refusal;
    }
  }

  private static final class Terminal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Terminal(String reason) {
      super(reason, null, false, false);
    }
  }
}
