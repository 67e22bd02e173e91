package dev.regcheck.snapshot;

/** A capture that cannot be read: the message is one line naming the path and what is wrong with it. */
public final class CaptureException extends Exception {
  private static final long serialVersionUID = 1L;

  public CaptureException(String message) {
    super(message);
  }

  public CaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
