package dev.regcheck.registry;

import java.util.List;

/**
 * Content did not hash to the digest it was requested or announced by: a blob or manifest pulled,
 * or the {@code Docker-Content-Digest} the registry returned for a push. A {@link RegistryException}
 * with code {@value #DIGEST_MISMATCH} and the HTTP status of the otherwise successful answer.
 */
public class DigestMismatchException extends RegistryException {
  public static final String DIGEST_MISMATCH = "DIGEST_MISMATCH";
  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String actual;

  DigestMismatchException(String method, String path, int status, String expected, String actual, String what) {
    super(method, path, status, DIGEST_MISMATCH, List.of(), what + ": expected " + expected + ", got " + actual, null);
    this.expected = expected;
    this.actual = actual;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
