package dev.regcheck.result;

/** checks.md status model. */
public enum Status {
  /** The lab does what the procedure says. */
  PASS,
  /** The lab is wrong. */
  FAIL,
  /** Works, but risky or deviating from the document; also an optional check that failed. */
  WARN,
  /** Not applicable here (mode, option, permission), with the reason. */
  SKIP,
  /** A prerequisite check did not pass; names it. */
  BLOCKED,
  /** The harness itself failed; not the lab's fault. */
  ERROR
}
