package dev.regcheck.tls;

import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Set;

/**
 * The keyUsage bits of RFC 5280 in the order of {@link X509Certificate#getKeyUsage()}, each
 * printed as {@code openssl x509 -text} prints it ("Digital Signature", "Key Encipherment"), so a
 * message and the openssl dump read the same.
 */
public enum KeyUse {
  DIGITAL_SIGNATURE("Digital Signature"),
  NON_REPUDIATION("Non Repudiation"),
  KEY_ENCIPHERMENT("Key Encipherment"),
  DATA_ENCIPHERMENT("Data Encipherment"),
  KEY_AGREEMENT("Key Agreement"),
  KEY_CERT_SIGN("Certificate Sign"),
  CRL_SIGN("CRL Sign"),
  ENCIPHER_ONLY("Encipher Only"),
  DECIPHER_ONLY("Decipher Only");

  private final String opensslName;

  KeyUse(String opensslName) {
    this.opensslName = opensslName;
  }

  /** The bit's position in the KeyUsage BIT STRING (digitalSignature = 0). */
  public int bit() {
    return ordinal();
  }

  @Override
  public String toString() {
    return opensslName;
  }

  /** The usages the certificate's keyUsage extension grants (empty when it has none). */
  public static Set<KeyUse> of(X509Certificate certificate) {
    Set<KeyUse> uses = EnumSet.noneOf(KeyUse.class);
    boolean[] bits = certificate.getKeyUsage();
    if (bits != null) {
      for (KeyUse use : values()) {
        if (use.ordinal() < bits.length && bits[use.ordinal()]) {
          uses.add(use);
        }
      }
    }
    return uses;
  }
}
