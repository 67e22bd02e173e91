package dev.regcheck.session;

import dev.regcheck.result.Text;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/** How a harness-side or API failure is told in one line. */
public final class Failures {
  private Failures() {}

  /** The API server's 403 message, when {@code t} (or a cause) is a refusal for lack of permission. */
  public static Optional<String> forbidden(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k && k.getCode() == 403) {
        return Optional.of(k.getStatus() != null && k.getStatus().getMessage() != null
            ? k.getStatus().getMessage() : Text.firstLine(k.getMessage()));
      }
    }
    return Optional.empty();
  }

  /** How a capture's API server names what the capture did not collect (a 403). */
  public static final String NOT_CAPTURED = "not in the capture: ";

  /** The "not in the capture: …" part of a capture's refusal, when {@code t} is one. */
  public static Optional<String> notCaptured(Throwable t) {
    return forbidden(t).filter(m -> m.contains(NOT_CAPTURED)).map(m -> m.substring(m.indexOf(NOT_CAPTURED)));
  }

  /**
   * What {@code read} returns; null when a capture did not collect it (a detail a check can do
   * without, such as the config behind a pod's failure). Any other failure passes on.
   */
  public static <T> T unlessNotCaptured(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      if (notCaptured(e).isPresent()) {
        return null;
      }
      throw e;
    }
  }

  /** One line for a harness-side or API failure: what failed and where, never a stack trace. */
  public static String describe(Throwable t) {
    if (t instanceof KubernetesClientException k) {
      String where = k.getFullResourceName() == null ? ""
          : " (" + k.getFullResourceName() + (k.getName() == null ? "" : " " + k.getName()) + ")";
      if (k.getCode() == 401 || k.getCode() == 403) {
        return "the API server refused the request with " + k.getCode() + where + ": "
            + (k.getStatus() == null ? Text.firstLine(k.getMessage()) : k.getStatus().getMessage());
      }
      Throwable root = k;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      if (root != k) {
        return "cannot talk to the API server" + where + ": " + root.getClass().getSimpleName() + ": " + root.getMessage();
      }
      return k.getStatus() != null && k.getStatus().getMessage() != null
          ? k.getCode() + " " + k.getStatus().getReason() + where + ": " + k.getStatus().getMessage()
          : Text.firstLine(k.getMessage());
    }
    StackTraceElement[] st = t.getStackTrace();
    String at = st.length == 0 ? "" : " at " + st[0].getClassName().replaceAll(".*\\.", "") + "." + st[0].getMethodName()
        + "(" + st[0].getFileName() + ":" + st[0].getLineNumber() + ")";
    return t.getClass().getSimpleName() + ": " + Text.firstLine(String.valueOf(t.getMessage())) + at;
  }
}
