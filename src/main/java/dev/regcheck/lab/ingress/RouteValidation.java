package dev.regcheck.lab.ingress;

import java.util.Locale;
import io.fabric8.openshift.api.model.TLSConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The OpenShift router's extended route validation (router pkg/router/routeapihelpers
 * ExtendedValidateRoute) for the TLS fields the lab serves: certificates and keys must parse, and
 * the key must match the certificate. Messages are field errors as the router writes them into
 * the Admitted=False condition (reason {@code ExtendedValidationFailed}); several are aggregated as
 * {@code [a, b]}. Expiry is not checked (the real router admits and serves expired certificates).
 * A leaf signed with SHA-1 is refused, as the router of OpenShift 4.16 and later does.
 */
final class RouteValidation {
  static final String REASON = "ExtendedValidationFailed";

  private RouteValidation() {}

  /** Empty when the route's TLS configuration is servable, else the condition's message. */
  static Optional<String> validate(TLSConfig tls) {
    if (tls == null) {
      return Optional.empty();
    }
    List<String> errors = new ArrayList<>();
    List<X509Certificate> certs = List.of();
    if (present(tls.getCertificate())) {
      try {
        certs = certificates(tls.getCertificate());
      } catch (CertificateException e) {
        errors.add(invalid("certificate", "redacted certificate data", "failed to parse certificate: " + e.getMessage()));
      }
    }
    if (!certs.isEmpty()) {
      insecureSignature(certs.get(0)).ifPresent(errors::add);
    }
    if (present(tls.getKey())) {
      Optional<PrivateKey> key = key(tls.getKey());
      if (key.isEmpty()) {
        errors.add(invalid("key", "redacted key data", "tls: failed to find any PEM data in key input"));
      } else if (!certs.isEmpty() && !matches(key.get(), certs.get(0))) {
        errors.add(invalid("key", "redacted key data", "tls: private key does not match public key"));
      }
    }
    if (present(tls.getCaCertificate())) {
      try {
        certificates(tls.getCaCertificate());
      } catch (CertificateException e) {
        errors.add(invalid("caCertificate", "redacted ca certificate data", "failed to parse CA certificate: " + e.getMessage()));
      }
    }
    if (present(tls.getDestinationCACertificate())) {
      try {
        certificates(tls.getDestinationCACertificate());
      } catch (CertificateException e) {
        errors.add(invalid("destinationCACertificate", "redacted destination ca certificate data",
            "failed to parse destination CA certificate: " + e.getMessage()));
      }
    }
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
  }

  /**
   * The router (OpenShift 4.16 and later) refuses a certificate signed with SHA-1 (or MD5), except a
   * self-signed one, as Go's x509 does; the words are modelled on Go's InsecureAlgorithmError.
   */
  private static Optional<String> insecureSignature(X509Certificate leaf) {
    String algorithm = leaf.getSigAlgName().toUpperCase(Locale.ROOT);
    boolean selfSigned = leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
    if (selfSigned || !(algorithm.startsWith("SHA1") || algorithm.startsWith("MD5"))) {
      return Optional.empty();
    }
    String go = algorithm.startsWith("MD5") ? "MD5-RSA" : algorithm.contains("ECDSA") ? "ECDSA-SHA1" : "SHA1-RSA";
    return Optional.of(invalid("certificate", "redacted certificate data",
        "x509: cannot verify signature: insecure algorithm " + go));
  }

  private static String invalid(String field, String redacted, String detail) {
    return "spec.tls." + field + ": Invalid value: \"" + redacted + "\": " + detail;
  }

  static boolean present(String pem) {
    return pem != null && !pem.isBlank();
  }

  static List<X509Certificate> certificates(String pem) throws CertificateException {
    Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    if (parsed.isEmpty()) {
      throw new CertificateException("data does not contain any valid RSA or ECDSA certificates");
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (Certificate c : parsed) {
      certs.add((X509Certificate) c);
    }
    return certs;
  }

  static Optional<PrivateKey> key(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object;
      while ((object = parser.readObject()) != null) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof PEMKeyPair pair) {
          return Optional.of(converter.getKeyPair(pair).getPrivate());
        }
        if (object instanceof PrivateKeyInfo info) {
          return Optional.of(converter.getPrivateKey(info));
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether a signature made with {@code key} verifies with the certificate's public key. */
  static boolean matches(PrivateKey key, X509Certificate cert) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] probe = "regcheck router key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
