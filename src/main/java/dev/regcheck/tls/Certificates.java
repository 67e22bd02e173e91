package dev.regcheck.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.X509CertSelector;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
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
import java.security.cert.Certificate;

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
      Collection<? extends Certificate> all =
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

  /** The IP addresses of the subjectAltName extension (empty when there is none). */
  public static List<String> ipAddresses(X509Certificate certificate) {
    List<String> addresses = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(7).equals(san.get(0))) {
            addresses.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateException e) {
      // an unparsable extension has no addresses
    }
    return List.copyOf(addresses);
  }

  /**
   * Whether the private key belongs to the certificate's public key: RSA compares modulus and
   * public exponent (CRT keys) or signs and verifies a nonce; EC and other keys sign and verify a
   * nonce. Keys of different algorithms never match.
   */
  public static boolean keyMatches(X509Certificate certificate, PrivateKey key) {
    PublicKey pub = certificate.getPublicKey();
    if (pub instanceof RSAPublicKey rsa && key instanceof RSAPrivateCrtKey crt) {
      return rsa.getModulus().equals(crt.getModulus()) && rsa.getPublicExponent().equals(crt.getPublicExponent());
    }
    if (pub instanceof RSAPublicKey rsa && key instanceof RSAKey other) {
      if (!rsa.getModulus().equals(other.getModulus())) {
        return false;
      }
      return signsFor("SHA256withRSA", key, pub);
    }
    if (pub instanceof ECPublicKey && key instanceof ECPrivateKey) {
      return signsFor("SHA256withECDSA", key, pub);
    }
    if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    return signsFor(pub.getAlgorithm(), key, pub);
  }

  private static boolean signsFor(String algorithm, PrivateKey key, PublicKey pub) {
    try {
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(nonce);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(nonce);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * A PKIX path from the leaf through any of the intermediates to one of the anchors, valid at
   * {@code at} (revocation not checked), built with the JDK's CertPathBuilder. When there is none
   * the reason names what is wrong: the issuer nobody here has ("unknown issuer CN=…"), the
   * certificate that expired or is not yet valid, or the signature that does not verify. An anchor
   * that has expired fails too (clients such as Go and openssl reject it; the JDK does not look).
   */
  public static BuiltChain buildChain(X509Certificate leaf, List<X509Certificate> intermediates,
      List<X509Certificate> anchors, Instant at) {
    if (anchors.isEmpty()) {
      return BuiltChain.failed("no CA certificate to verify against");
    }
    try {
      Set<TrustAnchor> trust = new HashSet<>();
      anchors.forEach(a -> trust.add(new TrustAnchor(a, null)));
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(trust, target);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      List<X509Certificate> store = new ArrayList<>(intermediates);
      store.add(leaf);
      parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
      PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
      List<X509Certificate> path = new ArrayList<>();
      result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
      X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
      if (path.isEmpty() || !path.get(path.size() - 1).equals(anchor)) {
        path.add(anchor);
      }
      Optional<String> anchorValidity = validityProblem(anchor, at);
      if (anchorValidity.isPresent()) {
        return BuiltChain.failed("the root " + subject(anchor) + " is " + anchorValidity.get());
      }
      return BuiltChain.found(path);
    } catch (CertPathBuilderException e) {
      return BuiltChain.failed(diagnose(leaf, intermediates, anchors, at)
          .orElse("no path to " + subjects(anchors) + ": " + e.getMessage()));
    } catch (InvalidAlgorithmParameterException e) {
      return BuiltChain.failed("cannot build a path: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      return BuiltChain.failed("cannot be verified: " + e.getMessage());
    }
  }

  /**
   * Walks up from the leaf by issuer name, as a client would, to say why the builder found no
   * path: the first certificate that is out of date, whose issuer is unknown, or whose signature
   * does not verify with its issuer's key.
   */
  private static Optional<String> diagnose(X509Certificate leaf, List<X509Certificate> intermediates,
      List<X509Certificate> anchors, Instant at) {
    X509Certificate current = leaf;
    Set<X509Certificate> seen = new HashSet<>();
    for (int depth = 0; depth < 10 && seen.add(current); depth++) {
      String which = (current == leaf ? "the leaf " : "the intermediate ") + subject(current);
      Optional<String> validity = validityProblem(current, at);
      if (validity.isPresent()) {
        return Optional.of(which + " is " + validity.get());
      }
      X509Certificate issuer = issuerOf(current, anchors);
      boolean isAnchor = issuer != null;
      if (issuer == null) {
        issuer = issuerOf(current, intermediates);
      }
      if (issuer == null) {
        return Optional.of("unknown issuer " + current.getIssuerX500Principal().getName() + " (of " + which
            + "): not among " + subjects(anchors) + (intermediates.isEmpty() ? "" : " nor the intermediates"));
      }
      try {
        current.verify(issuer.getPublicKey());
      } catch (GeneralSecurityException e) {
        return Optional.of("the signature of " + which + " does not verify with the key of its issuer "
            + subject(issuer) + (issuer.equals(current) ? "" : " (same name, different key)"));
      }
      if (isAnchor) {
        X509Certificate root = issuer;
        return validityProblem(root, at).map(p -> "the root " + subject(root) + " is " + p);
      }
      current = issuer;
    }
    return Optional.empty();
  }

  /** The candidate named as the issuer, preferring one whose key verifies the signature. */
  private static X509Certificate issuerOf(X509Certificate c, List<X509Certificate> candidates) {
    X509Certificate named = null;
    for (X509Certificate candidate : candidates) {
      if (candidate.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
        try {
          c.verify(candidate.getPublicKey());
          return candidate;
        } catch (GeneralSecurityException e) {
          named = named == null ? candidate : named;
        }
      }
    }
    return named;
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
