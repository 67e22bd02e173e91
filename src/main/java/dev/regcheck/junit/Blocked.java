package dev.regcheck.junit;

import org.opentest4j.TestAbortedException;

/** A check cannot be judged because a prerequisite check did not pass; names it. */
public final class Blocked extends TestAbortedException {
  private static final long serialVersionUID = 1L;
  private final String prerequisite;

  private Blocked(String prerequisite, String via, String reason) {
    super("blocked by " + prerequisite + (via == null || via.equals(prerequisite) ? "" : " (via " + via + ")")
        + (reason == null || reason.isEmpty() ? "" : ": " + reason));
    this.prerequisite = prerequisite;
  }

  public static Blocked by(String prerequisite, String reason) {
    return new Blocked(prerequisite, null, reason);
  }

  /**
   * Blocked by {@code root}, the check that failed, reached through {@code via} (the prerequisite
   * this check names, itself blocked by {@code root}; the same id when it failed itself).
   */
  public static Blocked by(String root, String via, String reason) {
    return new Blocked(root, via, reason);
  }

  /** The check that failed (an id: never "S01.1 (via S05.3)"). */
  public String prerequisite() {
    return prerequisite;
  }
}
