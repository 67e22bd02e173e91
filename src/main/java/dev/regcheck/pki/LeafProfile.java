package dev.regcheck.pki;

import dev.regcheck.tls.KeyUse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a serving certificate is made of: the {@code openssl req -subj}, the key, the
 * {@code openssl x509 -req -sha512 -days} and the {@code [v3_req]} section of certs.cnf.
 * {@link #document(String)} gives the procedure's values (step S11); the withers make the
 * variants the faults need (another SAN, an expired or not yet valid certificate, a CA:TRUE leaf,
 * a weak key or signature).
 *
 * @param keyAlgorithm {@code RSA} or {@code EC}
 * @param keyBits RSA modulus bits, or the EC curve size (256 = P-256, 384 = P-384)
 * @param signatureAlgorithm the JDK name the issuer signs with; an RSA name is turned into the
 *     ECDSA one of the same hash when the signing key is EC
 * @param notBefore the start of validity; null means the moment of signing (as openssl does)
 */
public record LeafProfile(Subject subject, List<String> dnsNames, String keyAlgorithm, int keyBits,
    String signatureAlgorithm, int days, Set<KeyUse> keyUsages, boolean ca, Instant notBefore) {

  /** The procedure's {@code -subj}. */
  public static final String DOCUMENT_SUBJECT = "/C=CN/ST=Shanghai/L=Shanghai/O=Company/OU=SH/CN=xiaohui.cn";
  /** {@code openssl genrsa -out registry.key 4096}. */
  public static final int DOCUMENT_KEY_BITS = 4096;
  /** {@code -sha512} with an RSA key. */
  public static final String DOCUMENT_SIGNATURE = "SHA512withRSA";
  /** {@code -days 3650}. */
  public static final int DOCUMENT_DAYS = 3650;
  /** certs.cnf {@code keyUsage = nonRepudiation, digitalSignature, keyEncipherment}. */
  public static final Set<KeyUse> DOCUMENT_KEY_USAGES =
      Set.copyOf(EnumSet.of(KeyUse.NON_REPUDIATION, KeyUse.DIGITAL_SIGNATURE, KeyUse.KEY_ENCIPHERMENT));

  public LeafProfile {
    if (subject == null) {
      throw new IllegalArgumentException("a leaf profile needs a subject");
    }
    dnsNames = List.copyOf(dnsNames);
    keyUsages = keyUsages.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(keyUsages));
    if (!keyAlgorithm.equals("RSA") && !keyAlgorithm.equals("EC")) {
      throw new IllegalArgumentException("key algorithm " + keyAlgorithm + ": only RSA and EC are made");
    }
    if (days <= 0) {
      throw new IllegalArgumentException("a certificate must be valid for at least a day, not " + days);
    }
  }

  /** The procedure's certificate for the route host: its subject, RSA-4096, SHA-512, 3650 days, certs.cnf. */
  public static LeafProfile document(String host) {
    return new LeafProfile(Subject.parse(DOCUMENT_SUBJECT), List.of(host), "RSA", DOCUMENT_KEY_BITS,
        DOCUMENT_SIGNATURE, DOCUMENT_DAYS, DOCUMENT_KEY_USAGES, false, null);
  }

  /** The first DNS name (the route host). */
  public String host() {
    return dnsNames.isEmpty() ? null : dnsNames.get(0);
  }

  public LeafProfile withSubject(Subject s) {
    return new LeafProfile(s, dnsNames, keyAlgorithm, keyBits, signatureAlgorithm, days, keyUsages, ca, notBefore);
  }

  /** Other SAN DNS names (none: a CN-only certificate), e.g. for a san-mismatch fault. */
  public LeafProfile withDnsNames(String... names) {
    return new LeafProfile(subject, List.of(names), keyAlgorithm, keyBits, signatureAlgorithm, days, keyUsages, ca, notBefore);
  }

  public LeafProfile withKey(String algorithm, int bits) {
    return new LeafProfile(subject, dnsNames, algorithm, bits, signatureAlgorithm, days, keyUsages, ca, notBefore);
  }

  public LeafProfile withKeyBits(int bits) {
    return withKey(keyAlgorithm, bits);
  }

  public LeafProfile withSignatureAlgorithm(String algorithm) {
    return new LeafProfile(subject, dnsNames, keyAlgorithm, keyBits, algorithm, days, keyUsages, ca, notBefore);
  }

  public LeafProfile withKeyUsages(Set<KeyUse> uses) {
    return new LeafProfile(subject, dnsNames, keyAlgorithm, keyBits, signatureAlgorithm, days, uses, ca, notBefore);
  }

  public LeafProfile withCa(boolean isCa) {
    return new LeafProfile(subject, dnsNames, keyAlgorithm, keyBits, signatureAlgorithm, days, keyUsages, isCa, notBefore);
  }

  /** Validity from {@code start} for {@code validDays} days. */
  public LeafProfile withValidity(Instant start, int validDays) {
    return new LeafProfile(subject, dnsNames, keyAlgorithm, keyBits, signatureAlgorithm, validDays, keyUsages, ca, start);
  }

  /** A certificate whose validity ended a day before {@code now} (fault cert-expired). */
  public LeafProfile expiredBefore(Instant now) {
    return withValidity(now.minus(Duration.ofDays(31)), 30);
  }

  /** A certificate whose validity starts a day after {@code now}. */
  public LeafProfile notYetValidAt(Instant now) {
    return withValidity(now.plus(Duration.ofDays(1)), days);
  }
}
