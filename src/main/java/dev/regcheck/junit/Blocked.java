package dev.regcheck.junit;

import org.opentest4j.TestAbortedException;

/** A check cannot be judged because a prerequisite check did not pass; names it. */
public final class Blocked extends TestAbortedException {
  private static final long serialVersionUID = 1L;
  private final String prerequisite;

  private Blocked(String prerequisite, String reason) {
    super("blocked by " + prerequisite + (reason == null || reason.isEmpty() ? "" : ": " + reason));
    this.prerequisite = prerequisite;
  }

  public static Blocked by(String prerequisite, String reason) {
    return new Blocked(prerequisite, reason);
  }

  public String prerequisite() {
    return prerequisite;
  }
}
