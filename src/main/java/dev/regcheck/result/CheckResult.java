package dev.regcheck.result;

import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.Messages;
import java.util.List;

/** The outcome of one check in one run. {@code evidence} are report-relative file names. */
public record CheckResult(
    CheckDef check,
    Status status,
    String message,
    String remediation,
    long durationMs,
    List<String> evidence,
    boolean knownIssue) {

  public CheckResult {
    evidence = List.copyOf(evidence);
    message = message == null ? "" : message;
  }

  public CheckResult(CheckDef check, Status status, String message, String remediation, long durationMs,
      List<String> evidence) {
    this(check, status, message, remediation, durationMs, evidence, false);
  }

  /**
   * The message in {@code lang}, from the templates beside the catalog ({@link #message()} is the
   * English the harness wrote, which tools read as {@code messageEn}).
   */
  public String message(Lang lang) {
    return Messages.render(message, lang);
  }

  /**
   * Whether this result fails the run: a mandatory check that did not pass or was blocked ({@code
   * --gate mandatory}).
   */
  public boolean failsRun() {
    return check.mandatory() && (status == Status.FAIL || status == Status.BLOCKED);
  }
}
