package dev.regcheck.lab.core;

/** The embedded lab cannot run at all; the message is one line saying why and, if known, the fix. */
public class LabException extends Exception {
  private static final long serialVersionUID = 1L;

  public LabException(String message) {
    super(message);
  }

  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
