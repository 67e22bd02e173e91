package dev.regcheck.assertions;

import java.util.List;
import java.util.Optional;

/**
 * A check failed: what is wrong in one line ({@link #summary()}), and the objects that show it.
 * The full message carries the evidence too, so a plain JUnit report still shows it.
 */
public class CheckFailure extends AssertionError {
  private static final long serialVersionUID = 1L;

  /** A named piece of evidence: an object as YAML, events, a log tail. */
  public record Evidence(String name, String text) {}

  private final String summary;
  private final transient List<Evidence> evidence;
  private final String fix;

  public CheckFailure(String summary, List<Evidence> evidence) {
    this(summary, evidence, null);
  }

  private CheckFailure(String summary, List<Evidence> evidence, String fix) {
    super(render(summary, evidence));
    this.summary = summary;
    this.evidence = List.copyOf(evidence);
    this.fix = fix;
  }

  public CheckFailure(String summary) {
    this(summary, List.of());
  }

  public String summary() {
    return summary;
  }

  public List<Evidence> evidence() {
    return evidence == null ? List.of() : evidence;
  }

  /**
   * The same failure with its own fix, for a cause the catalog's fix cannot mend (the registry's
   * capability disabled at install: enabling it, not patching managementState).
   */
  public CheckFailure withFix(String command) {
    return new CheckFailure(summary, evidence(), command);
  }

  /** The fix this failure needs instead of the check's usual one. */
  public Optional<String> fix() {
    return Optional.ofNullable(fix);
  }

  private static String render(String summary, List<Evidence> evidence) {
    StringBuilder sb = new StringBuilder(summary);
    for (Evidence e : evidence) {
      sb.append("\n--- ").append(e.name()).append(" ---\n").append(e.text());
    }
    return sb.toString();
  }
}
