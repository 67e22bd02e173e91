package dev.regcheck.run;

import dev.regcheck.result.Text;
import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.CheckDef;
import dev.regcheck.junit.RegcheckExtension;
import dev.regcheck.result.Redactor;
import dev.regcheck.result.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import dev.regcheck.junit.Check;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Collects each check's outcome from the report entries the extension publishes; a test that
 * ended without one (a harness failure before the check ran) becomes ERROR.
 */
final class ResultCollector implements TestExecutionListener {

  /** One check's raw outcome. */
  record Outcome(CheckDef check, Status status, String message, List<String> evidence, long durationMs,
      boolean known) {
    Outcome(CheckDef check, Status status, String message, List<String> evidence, long durationMs) {
      this(check, status, message, evidence, durationMs, false);
    }
  }

  private final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();
  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final List<Outcome> outcomes = new ArrayList<>();
  private final List<String> applied = new ArrayList<>();
  private final Redactor redactor;
  private final Consumer<Outcome> progress;

  ResultCollector(Redactor redactor, Consumer<Outcome> progress) {
    this.redactor = redactor;
    this.progress = progress;
  }

  @Override
  public void executionStarted(TestIdentifier id) {
    started.put(id.getUniqueId(), System.nanoTime());
  }

  @Override
  public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
    Map<String, String> kv = entry.getKeyValuePairs();
    if (kv.containsKey(RegcheckExtension.APPLIED)) {
      synchronized (applied) {
        applied.add(kv.get(RegcheckExtension.APPLIED));
      }
    }
    if (kv.containsKey(RegcheckExtension.STATUS)) {
      entries.put(id.getUniqueId(), Map.copyOf(kv));
    }
  }

  private final List<String> containerFailures = new ArrayList<>();
  private final Map<String, CheckDef> legacyNames = new ConcurrentHashMap<>();

  /** JUnit XML names tests by method signature: which check each signature is. */
  Map<String, CheckDef> legacyNames() {
    return Map.copyOf(legacyNames);
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
    if (check == null) {
      return;
    }
    legacyNames.put(id.getLegacyReportingName(), check);
    long ms = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1_000_000;
    Map<String, String> kv = entries.get(id.getUniqueId());
    Outcome o;
    if (kv != null) {
      String msg = kv.getOrDefault(RegcheckExtension.MESSAGE, "");
      List<String> ev = kv.containsKey(RegcheckExtension.EVIDENCE)
          ? Arrays.asList(kv.get(RegcheckExtension.EVIDENCE).split(",")) : List.of();
      o = new Outcome(check, Status.valueOf(kv.get(RegcheckExtension.STATUS)), "-".equals(msg) ? "" : msg, ev, ms,
          "true".equals(kv.get(RegcheckExtension.KNOWN)));
    } else {
      String why = result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
          .orElse("the check ended with " + result.getStatus() + " and no outcome");
      o = new Outcome(check, Status.ERROR, redactor.redact(Text.firstLine(why)), List.of(), ms);
    }
    synchronized (outcomes) {
      outcomes.add(o);
    }
    progress.accept(o);
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    CheckDef check = id.isTest() ? checkOf(id) : null;
    if (check != null) {
      Outcome o = new Outcome(check, Status.SKIP, reason, List.of(), 0);
      synchronized (outcomes) {
        outcomes.add(o);
      }
      progress.accept(o);
    }
  }

  List<Outcome> outcomes() {
    synchronized (outcomes) {
      return List.copyOf(outcomes);
    }
  }

  /**
   * An ERROR outcome for every selected check that never reported (its suite failed before it
   * ran), so a missing mandatory check can never look like a passing run.
   */
  List<Outcome> missing(List<CheckDef> selected) {
    Set<String> seen = new HashSet<>();
    outcomes().forEach(o -> seen.add(o.check().id()));
    String why;
    synchronized (containerFailures) {
      why = containerFailures.isEmpty() ? "the check did not run (no outcome was reported)"
          : "the check did not run: " + containerFailures.get(0);
    }
    List<Outcome> out = new ArrayList<>();
    for (CheckDef c : selected) {
      if (!seen.contains(c.id())) {
        out.add(new Outcome(c, Status.ERROR, why, List.of(), 0));
      }
    }
    return out;
  }

  List<String> applied() {
    synchronized (applied) {
      return List.copyOf(applied);
    }
  }

  static CheckDef checkOf(TestIdentifier id) {
    return id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
        .flatMap(ms -> {
          try {
            var m = ms.getJavaMethod();
            var a = m.getAnnotation(Check.class);
            return a == null ? Optional.empty() : Catalog.find(a.value());
          } catch (RuntimeException e) {
            return Optional.empty();
          }
        }).orElse(null);
  }

}
