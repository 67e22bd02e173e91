package dev.regcheck.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reading and judging X.509 certificates: names, validity, chains; text dumps for evidence. */
public final class Certificates {
  private Certificates() {}

  /** Every certificate in a PEM bundle, in order. */
  public static List<X509Certificate> parsePem(String pem) {
    if (pem == null || pem.isBlank()) {
      return List.of();
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Collection<? extends java.security.cert.Certificate> all =
          factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      List<X509Certificate> out = new ArrayList<>();
      all.forEach(c -> out.add((X509Certificate) c));
      return List.copyOf(out);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate bundle: " + e.getMessage(), e);
    }
  }

  /** The DNS names of the subjectAltName extension (empty when there is none). */
  public static List<String> dnsNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(2).equals(san.get(0))) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateException e) {
      // an unparsable extension has no names
    }
    return List.copyOf(names);
  }

  /** Whether a SAN DNS name covers the host (one leading wildcard label, as RFC 6125 allows). */
  public static boolean covers(X509Certificate certificate, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String name : dnsNames(certificate)) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals(h)) {
        return true;
      }
      if (n.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(n.substring(1))) {
        return true;
      }
    }
    return false;
  }

  /** Why the certificate is not valid at {@code now}, if it is not. */
  public static Optional<String> validityProblem(X509Certificate certificate, Instant now) {
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      return Optional.of("not valid before " + certificate.getNotBefore().toInstant());
    }
    if (now.isAfter(certificate.getNotAfter().toInstant())) {
      return Optional.of("expired on " + certificate.getNotAfter().toInstant());
    }
    return Optional.empty();
  }

  /**
   * Why the chain (leaf first, as served) does not verify to one of the anchors, if it does not:
   * PKIX path validation without revocation checks.
   */
  public static Optional<String> chainProblem(List<X509Certificate> chain, List<X509Certificate> anchors,
      Instant at) {
    if (chain.isEmpty()) {
      return Optional.of("no certificate was served");
    }
    if (anchors.isEmpty()) {
      return Optional.of("no CA certificate to verify against");
    }
    try {
      Set<TrustAnchor> trust = new HashSet<>();
      anchors.forEach(a -> trust.add(new TrustAnchor(a, null)));
      // the path ends below an anchor: drop served certificates that are anchors themselves
      List<X509Certificate> path = new ArrayList<>();
      for (X509Certificate c : chain) {
        if (path.isEmpty() || !anchors.contains(c)) {
          path.add(c);
        }
      }
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      CertPath certPath = factory.generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(trust);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
      return Optional.empty();
    } catch (CertPathValidatorException e) {
      String reason = e.getReason() == null ? "" : " (" + e.getReason().toString().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
      return Optional.of("does not chain to " + subjects(anchors) + reason + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      return Optional.of("cannot be verified: " + e.getMessage());
    }
  }

  public static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  private static String subjects(List<X509Certificate> certificates) {
    List<String> names = new ArrayList<>();
    certificates.forEach(c -> names.add(subject(c)));
    return String.join(" or ", names);
  }

  /** A text dump of a certificate for evidence (what {@code openssl x509 -noout -text} shows first). */
  public static String dump(X509Certificate c) {
    StringBuilder sb = new StringBuilder();
    sb.append("Subject: ").append(subject(c)).append('\n');
    sb.append("Issuer: ").append(c.getIssuerX500Principal().getName()).append('\n');
    sb.append("Serial: ").append(c.getSerialNumber().toString(16)).append('\n');
    sb.append("Not before: ").append(c.getNotBefore().toInstant()).append('\n');
    sb.append("Not after: ").append(c.getNotAfter().toInstant()).append('\n');
    sb.append("SAN DNS: ").append(dnsNames(c)).append('\n');
    sb.append("CA: ").append(c.getBasicConstraints() >= 0).append('\n');
    sb.append("Key: ").append(c.getPublicKey().getAlgorithm());
    if (c.getPublicKey() instanceof RSAKey rsa) {
      sb.append(' ').append(rsa.getModulus().bitLength()).append(" bits");
    } else if (c.getPublicKey() instanceof ECKey ec) {
      sb.append(' ').append(ec.getParams().getCurve().getField().getFieldSize()).append(" bits");
    }
    sb.append('\n');
    sb.append("Signature: ").append(c.getSigAlgName()).append('\n');
    try {
      sb.append("SHA-256 fingerprint: ").append(HexFormat.ofDelimiter(":").withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()))).append('\n');
    } catch (GeneralSecurityException e) {
      // no fingerprint
    }
    return sb.toString();
  }

  public static String dump(List<X509Certificate> chain) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < chain.size(); i++) {
      sb.append("[").append(i).append("]\n").append(dump(chain.get(i))).append('\n');
    }
    return sb.toString();
  }
}
