package dev.regcheck.registry;

import java.io.IOException;
import java.util.List;

/**
 * The registry answered something other than what the operation expects, or could not be reached.
 * {@link #getMessage()} is one line: {@code <METHOD> <path>: [<status> ]<CODE> <text>}.
 *
 * <p>{@link #code()} is the first OCI error code of the body (UNAUTHORIZED, DENIED, NAME_UNKNOWN,
 * MANIFEST_UNKNOWN, BLOB_UNKNOWN, DIGEST_INVALID, UNSUPPORTED, TOOMANYREQUESTS, …), {@code HTTP_<status>}
 * when the body names none, or one of this client's own codes: {@value #CONNECTION} (no HTTP answer:
 * refused, TLS handshake, unknown host, timeout; {@link #status()} is 0), {@value #PROTOCOL} (an answer
 * this client cannot use, such as a 202 without {@code Location}) and
 * {@value DigestMismatchException#DIGEST_MISMATCH}.
 *
 * <p>An {@link IOException}, so every operation declares one exception type; failures of the
 * caller's own streams (a blob file, a pull sink) stay plain {@code IOException}s.
 */
public class RegistryException extends IOException {
  public static final String CONNECTION = "CONNECTION";
  public static final String PROTOCOL = "PROTOCOL";
  private static final long serialVersionUID = 1L;

  private final String method;
  private final String path;
  private final int status;
  private final String code;
  private final transient List<RegistryError> errors;

  RegistryException(String method, String path, int status, String code, List<RegistryError> errors,
      String text, Throwable cause) {
    super(line(method, path, status, code, text), cause);
    this.method = method;
    this.path = path;
    this.status = status;
    this.code = code;
    this.errors = List.copyOf(errors);
  }

  /** An HTTP answer with an unexpected status; the code comes from the error body if it has one. */
  static RegistryException http(String method, String path, int status, String reason,
      List<RegistryError> errors, String suffix) {
    String code = errors.isEmpty() ? "HTTP_" + status : errors.get(0).code();
    StringBuilder text = new StringBuilder();
    if (errors.isEmpty()) {
      text.append(reason == null ? "" : reason);
    } else {
      for (int i = 0; i < errors.size(); i++) {
        RegistryError e = errors.get(i);
        if (i > 0) {
          text.append("; ").append(e.code()).append(' ');
        }
        text.append(e.message());
      }
    }
    if (!suffix.isEmpty()) {
      text.append(text.length() == 0 ? "" : " ").append(suffix);
    }
    return new RegistryException(method, path, status, code, errors, text.toString(), null);
  }

  static RegistryException protocol(String method, String path, int status, String text) {
    return new RegistryException(method, path, status, PROTOCOL, List.of(), text, null);
  }

  static RegistryException connection(String method, String path, String text, Throwable cause) {
    return new RegistryException(method, path, 0, CONNECTION, List.of(), text, cause);
  }

  private static String line(String method, String path, int status, String code, String text) {
    String line = method + " " + path + ": " + (status > 0 ? status + " " : "") + code
        + (text == null || text.isBlank() ? "" : " " + text.strip());
    return line.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  public String method() {
    return method;
  }

  /** The request path (for the token endpoint: its URL without the query). */
  public String path() {
    return path;
  }

  /** The HTTP status, or 0 when there was no HTTP answer ({@value #CONNECTION}). */
  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<RegistryError> errors() {
    return errors == null ? List.of() : errors;
  }
}
