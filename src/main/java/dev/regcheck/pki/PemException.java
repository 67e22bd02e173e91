package dev.regcheck.pki;

/**
 * PEM input that cannot be used, said in one line naming the source and what is wrong (never
 * quoting the content: it may be a private key).
 */
public final class PemException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  PemException(String source, String problem) {
    super(source + ": " + problem);
  }
}
