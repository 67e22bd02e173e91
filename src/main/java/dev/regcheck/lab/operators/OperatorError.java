package dev.regcheck.lab.operators;

/** An error of one operator sync; a permanent one is not retried and makes the operator Degraded. */
final class OperatorError extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean permanent;
  private final String reason;

  private OperatorError(boolean permanent, String reason, String message) {
    super(message);
    this.permanent = permanent;
    this.reason = reason;
  }

  static OperatorError permanent(String reason, String message) {
    return new OperatorError(true, reason, message);
  }

  static OperatorError retriable(String message) {
    return new OperatorError(false, "Error", message);
  }

  boolean permanent() {
    return permanent;
  }

  String reason() {
    return reason;
  }
}
