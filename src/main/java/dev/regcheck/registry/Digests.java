package dev.regcheck.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Content digests as the distribution API writes them: {@code sha256:<64 hex>} (or sha512). */
public final class Digests {
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");

  private Digests() {}

  static boolean isDigest(String reference) {
    return reference != null && DIGEST.matcher(reference).matches();
  }

  public static MessageDigest sha256() {
    return algorithm("SHA-256");
  }

  /** A fresh hasher for the algorithm named by the digest's prefix. */
  static MessageDigest forDigest(String digest) {
    if (!isDigest(digest)) {
      throw new IllegalArgumentException("not a sha256 or sha512 digest: " + digest);
    }
    return algorithm(digest.startsWith("sha512:") ? "SHA-512" : "SHA-256");
  }

  /** The finished hash as {@code <algorithm>:<hex>}. */
  public static String format(MessageDigest md) {
    String prefix = "SHA-512".equals(md.getAlgorithm()) ? "sha512:" : "sha256:";
    return prefix + HexFormat.of().formatHex(md.digest());
  }

  public static String sha256(byte[] bytes) {
    MessageDigest md = sha256();
    md.update(bytes);
    return format(md);
  }

  /** The digest of {@code bytes} in the algorithm {@code digest} uses. */
  static String sameAlgorithm(String digest, byte[] bytes) {
    MessageDigest md = forDigest(digest);
    md.update(bytes);
    return format(md);
  }

  private static MessageDigest algorithm(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + name, e);
    }
  }
}
