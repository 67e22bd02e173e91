package dev.regcheck.assertions;

import java.util.List;

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

  public CheckFailure(String summary, List<Evidence> evidence) {
    super(render(summary, evidence));
    this.summary = summary;
    this.evidence = List.copyOf(evidence);
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

  private static String render(String summary, List<Evidence> evidence) {
    StringBuilder sb = new StringBuilder(summary);
    for (Evidence e : evidence) {
      sb.append("\n--- ").append(e.name()).append(" ---\n").append(e.text());
    }
    return sb.toString();
  }
}
