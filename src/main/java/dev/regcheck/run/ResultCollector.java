package dev.regcheck.run;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.CheckDef;
import dev.regcheck.junit.Check;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Redactor;
import dev.regcheck.result.Status;
import dev.regcheck.result.Text;
import dev.regcheck.session.RunSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * What the extension cannot record itself: a check whose test ended without a result (a harness
 * failure before the check ran) becomes ERROR, a disabled one SKIP, and a suite whose set-up failed
 * is remembered so that its checks become ERROR naming why. Everything else is recorded by the
 * extension in the run's {@link RunSession}.
 */
final class ResultCollector implements TestExecutionListener {

  private final Function<String, Optional<Status>> outcome;
  private final Consumer<CheckResult> record;
  private final Redactor redactor;
  private final Function<CheckDef, String> remediation;
  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final List<String> containerFailures = new ArrayList<>();

  /** {@code outcome} and {@code record} are the run session's ({@link RunSession#outcome}, {@link RunSession#record}). */
  ResultCollector(Function<String, Optional<Status>> outcome, Consumer<CheckResult> record, Redactor redactor,
      Function<CheckDef, String> remediation) {
    this.outcome = outcome;
    this.record = record;
    this.redactor = redactor;
    this.remediation = remediation;
  }

  @Override
  public void executionStarted(TestIdentifier id) {
    started.put(id.getUniqueId(), System.nanoTime());
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (!id.isTest()) {
      // a suite whose set-up failed reports no tests at all: remember why, so its checks become ERROR
      result.getThrowable().ifPresent(t -> {
        synchronized (containerFailures) {
          containerFailures.add(id.getDisplayName() + ": " + redactor.redact(Text.firstLine(
              t.getClass().getSimpleName() + ": " + t.getMessage())));
        }
      });
      return;
    }
    CheckDef check = checkOf(id);
    if (check == null || outcome.apply(check.id()).isPresent()) {
      return;
    }
    long ms = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1_000_000;
    String why = result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
        .orElse("the check ended with " + result.getStatus() + " and no outcome");
    record.accept(new CheckResult(check, Status.ERROR, redactor.redact(Text.firstLine(why)),
        remediation.apply(check), ms, List.of()));
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    CheckDef check = id.isTest() ? checkOf(id) : null;
    if (check != null && outcome.apply(check.id()).isEmpty()) {
      record.accept(new CheckResult(check, Status.SKIP, reason, remediation.apply(check), 0, List.of()));
    }
  }

  /**
   * An ERROR result for every selected check that never reported (its suite failed before it
   * ran), so a missing mandatory check can never look like a passing run.
   */
  List<CheckResult> missing(List<CheckDef> selected) {
    String why;
    synchronized (containerFailures) {
      why = containerFailures.isEmpty() ? "the check did not run (no outcome was reported)"
          : "the check did not run: " + containerFailures.get(0);
    }
    List<CheckResult> out = new ArrayList<>();
    for (CheckDef c : selected) {
      if (outcome.apply(c.id()).isEmpty()) {
        out.add(new CheckResult(c, Status.ERROR, why, remediation.apply(c), 0, List.of()));
      }
    }
    return out;
  }

  static CheckDef checkOf(TestIdentifier id) {
    return id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
        .flatMap(ms -> {
          try {
            Check a = ms.getJavaMethod().getAnnotation(Check.class);
            return a == null ? Optional.<CheckDef>empty() : Catalog.find(a.value());
          } catch (RuntimeException e) {
            return Optional.<CheckDef>empty();
          }
        }).orElse(null);
  }
}
