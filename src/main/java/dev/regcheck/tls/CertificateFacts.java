package dev.regcheck.tls;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a certificate says, read once into plain values: the properties the procedure's certs.cnf
 * sets and the rules judge (S11.2), with key usages named as openssl prints them.
 *
 * @param keyUsages empty when the certificate has no keyUsage extension ({@link #hasKeyUsage()})
 * @param keyBits RSA modulus bits, EC field bits (256 for P-256), 0 for other key types
 * @param signatureAlgorithm the JDK's name, e.g. {@code SHA512withRSA}
 */
public record CertificateFacts(String subject, String issuer, BigInteger serial, List<String> dnsNames,
    boolean hasKeyUsage, Set<KeyUse> keyUsages, BasicConstraints basicConstraints, String keyAlgorithm,
    int keyBits, String signatureAlgorithm, Instant notBefore, Instant notAfter) {

  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";

  /**
   * The basicConstraints extension.
   *
   * @param pathLength -1 when unlimited or not a CA
   */
  public record BasicConstraints(boolean present, boolean critical, boolean ca, int pathLength) {
    @Override
    public String toString() {
      if (!present) {
        return "absent";
      }
      return (critical ? "critical, " : "") + (ca ? "CA:TRUE" : "CA:FALSE")
          + (ca && pathLength >= 0 ? ", pathlen:" + pathLength : "");
    }
  }

  public CertificateFacts {
    dnsNames = List.copyOf(dnsNames);
    keyUsages = Set.copyOf(keyUsages);
  }

  public static CertificateFacts of(X509Certificate c) {
    boolean bcPresent = c.getExtensionValue(BASIC_CONSTRAINTS) != null;
    Set<String> critical = c.getCriticalExtensionOIDs() == null ? Set.of() : c.getCriticalExtensionOIDs();
    int constraint = c.getBasicConstraints();
    BasicConstraints bc = new BasicConstraints(bcPresent, critical.contains(BASIC_CONSTRAINTS), constraint >= 0,
        constraint == Integer.MAX_VALUE || constraint < 0 ? -1 : constraint);
    PublicKey key = c.getPublicKey();
    return new CertificateFacts(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
        c.getSerialNumber(), Certificates.dnsNames(c), c.getExtensionValue(KEY_USAGE) != null, KeyUse.of(c), bc,
        key.getAlgorithm(), keyBits(key), c.getSigAlgName(), c.getNotBefore().toInstant(),
        c.getNotAfter().toInstant());
  }

  /** RSA modulus bits, EC field bits, 0 for another kind of key. */
  public static int keyBits(PublicKey key) {
    if (key instanceof RSAKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize();
    }
    return 0;
  }

  public boolean isCa() {
    return basicConstraints.ca();
  }

  /** Whole days from {@code now} to notAfter (negative once expired). */
  public long daysLeft(Instant now) {
    return Duration.between(now, notAfter).toDays();
  }

  public boolean validAt(Instant now) {
    return !now.isBefore(notBefore) && !now.isAfter(notAfter);
  }
}
