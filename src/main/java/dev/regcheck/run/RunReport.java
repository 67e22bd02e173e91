package dev.regcheck.run;

import dev.regcheck.catalog.Step;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.regcheck.session.Mode;

/** Everything a run produced, in catalog order. */
public record RunReport(
    String lab,
    Mode mode,
    Instant startedAt,
    long durationMs,
    List<CheckResult> results,
    List<String> applied,
    Path dir,
    Map<String, String> snapshot) {

  /** A report of a live cluster's run. */
  public RunReport(String lab, Mode mode, Instant startedAt, long durationMs, List<CheckResult> results,
      List<String> applied, Path dir) {
    this(lab, mode, startedAt, durationMs, results, applied, dir, Map.of());
  }

  public Map<Status, Integer> totals() {
    Map<Status, Integer> t = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      t.put(s, 0);
    }
    results.forEach(r -> t.merge(r.status(), 1, Integer::sum));
    return t;
  }

  /** 0 every mandatory check passed; 1 one failed; 2 the harness failed ({@code --gate mandatory}). */
  public int exitCode() {
    return exitCode(Gate.MANDATORY);
  }

  /**
   * The exit code under a gate: {@code mandatory} fails on a mandatory FAIL or BLOCKED; {@code all}
   * also on any WARN (optional checks that failed, risky passes) — except a known issue, which its
   * owner accepted until its date. 2 when the harness itself failed.
   */
  public int exitCode(Gate gate) {
    if (results.stream().anyMatch(r -> r.check().mandatory() && r.status() == Status.FAIL)) {
      return 1;
    }
    if (results.stream().anyMatch(r -> r.status() == Status.ERROR)) {
      return 2;
    }
    boolean fails = results.stream().anyMatch(r -> r.failsRun() || gate == Gate.ALL && !r.knownIssue()
        && (r.status() == Status.WARN || r.status() == Status.FAIL || r.status() == Status.BLOCKED));
    return fails ? 1 : 0;
  }

  /** The first check, in procedure order, that failed or errored. */
  public Optional<CheckResult> firstFailure() {
    return results.stream().filter(r -> r.status() == Status.FAIL || r.status() == Status.ERROR).findFirst();
  }

  /** Steps whose mandatory checks all passed (WARN counts as passing). */
  public List<Step> passingSteps() {
    return steps().stream().filter(s -> results.stream().filter(r -> r.check().step() == s && r.check().mandatory())
        .allMatch(r -> r.status() == Status.PASS || r.status() == Status.WARN || r.status() == Status.SKIP)).toList();
  }

  public List<Step> steps() {
    return results.stream().map(r -> r.check().step()).distinct().toList();
  }
}
