package dev.regcheck.pki;

import dev.regcheck.tls.CertificateFacts;
import dev.regcheck.tls.Certificates;
import dev.regcheck.tls.KeyUse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules of S11.2 (the route's serving certificate) and S11.3 (its root), as a pure function of
 * the certificate, the route host and the time: each finding is FAIL or WARN with one line that
 * says what the certificate has.
 */
public final class CertificateRules {
  /** Fewer days left than this is a warning. */
  public static final Duration WARN_REMAINING = Duration.ofDays(30);

  public enum Severity { FAIL, WARN }

  public record Finding(Severity severity, String message) {
    @Override
    public String toString() {
      return severity + ": " + message;
    }
  }

  private CertificateRules() {}

  /**
   * The findings for a serving certificate of {@code host} at {@code now}: SAN DNS covers the host
   * (the CN does not count), CA:FALSE, keyUsage Digital Signature (+ Key Encipherment for RSA) when
   * the extension is present, RSA at least 2048 or EC at least 256 bits, a SHA-256 or stronger
   * signature, valid now (FAIL), more than 30 days left (WARN).
   */
  public static List<Finding> check(X509Certificate leaf, String host, Instant now) {
    CertificateFacts facts = CertificateFacts.of(leaf);
    List<Finding> findings = new ArrayList<>();
    if (facts.dnsNames().isEmpty()) {
      findings.add(fail("the certificate has no subjectAltName DNS names (only the subject " + facts.subject()
          + "): modern clients ignore the CN, so " + host + " is not covered"));
    } else if (!Certificates.covers(leaf, host)) {
      findings.add(fail("the SAN DNS names " + facts.dnsNames() + " do not cover " + host));
    }
    if (facts.isCa()) {
      findings.add(fail("the certificate is a CA (basicConstraints CA:TRUE); a serving certificate must be CA:FALSE"));
    }
    if (facts.hasKeyUsage()) {
      Set<KeyUse> needed = EnumSet.of(KeyUse.DIGITAL_SIGNATURE);
      if (facts.keyAlgorithm().equals("RSA")) {
        needed.add(KeyUse.KEY_ENCIPHERMENT);
      }
      needed.removeAll(facts.keyUsages());
      if (!needed.isEmpty()) {
        findings.add(fail("keyUsage " + names(facts.keyUsages()) + " lacks " + names(needed)));
      }
    }
    switch (facts.keyAlgorithm()) {
      case "RSA" -> {
        if (facts.keyBits() < 2048) {
          findings.add(fail("the RSA key has " + facts.keyBits() + " bits; at least 2048 are needed (the procedure uses 4096)"));
        }
      }
      case "EC" -> {
        if (facts.keyBits() < 256) {
          findings.add(fail("the EC key has " + facts.keyBits() + " bits; at least 256 (P-256) are needed"));
        }
      }
      default -> {
        // Ed25519 and others: no size rule
      }
    }
    if (weakHash(facts.signatureAlgorithm())) {
      findings.add(fail("the certificate is signed with " + facts.signatureAlgorithm()
          + "; clients reject it: SHA-256 or stronger is needed"));
    }
    if (now.isBefore(facts.notBefore())) {
      findings.add(fail("the certificate is not valid yet: valid from " + facts.notBefore() + " (now " + now + ")"));
    } else if (now.isAfter(facts.notAfter())) {
      findings.add(fail("the certificate expired on " + facts.notAfter() + " (now " + now + ")"));
    } else if (facts.notAfter().isBefore(now.plus(WARN_REMAINING))) {
      findings.add(new Finding(Severity.WARN, "the certificate expires on " + facts.notAfter() + ", in "
          + facts.daysLeft(now) + " days (fewer than " + WARN_REMAINING.toDays() + ")"));
    }
    return List.copyOf(findings);
  }

  /** S11.3: the root the route's certificate is trusted by must be a CA that may sign certificates. */
  public static List<Finding> rootProblems(X509Certificate root) {
    CertificateFacts facts = CertificateFacts.of(root);
    List<Finding> findings = new ArrayList<>();
    if (!facts.isCa()) {
      findings.add(fail("the root " + facts.subject() + " is not a CA (basicConstraints " + facts.basicConstraints()
          + "); it must be CA:TRUE"));
    }
    if (facts.hasKeyUsage() && !facts.keyUsages().contains(KeyUse.KEY_CERT_SIGN)) {
      findings.add(fail("the root " + facts.subject() + " has keyUsage " + names(facts.keyUsages())
          + " without Certificate Sign"));
    }
    return List.copyOf(findings);
  }

  /** Whether no finding is a FAIL. */
  public static boolean passes(List<Finding> findings) {
    return findings.stream().noneMatch(f -> f.severity() == Severity.FAIL);
  }

  private static boolean weakHash(String signatureAlgorithm) {
    String a = signatureAlgorithm.toUpperCase(Locale.ROOT).replace("-", "");
    return a.startsWith("SHA1") || a.startsWith("SHA224") || a.startsWith("MD5") || a.startsWith("MD2")
        || a.startsWith("MD4");
  }

  private static String names(Set<KeyUse> uses) {
    List<String> names = new ArrayList<>();
    EnumSet<KeyUse> ordered = uses.isEmpty() ? EnumSet.noneOf(KeyUse.class) : EnumSet.copyOf(uses);
    ordered.forEach(u -> names.add(u.toString()));
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  private static Finding fail(String message) {
    return new Finding(Severity.FAIL, message);
  }
}
