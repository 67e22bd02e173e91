package dev.regcheck.pki;

import dev.regcheck.tls.Certificates;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * The CA of step S11 ({@code root.crt}/{@code root.key}): one made here, or the lab's own loaded
 * from PEM, and what {@code openssl x509 -req -CA root.crt -CAkey root.key -extfile certs.cnf}
 * does with a request.
 */
public final class RootCa {
  private static final String CA_SIGNATURE = "SHA256withRSA";

  private final X509Certificate certificate;
  private final PrivateKey key;

  private RootCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /**
   * A self-signed CA: basicConstraints CA:TRUE (critical), keyUsage Certificate Sign + CRL Sign
   * (critical), subject and authority key identifiers, SHA-256 signature, valid from a minute ago.
   */
  public static RootCa generate(Subject subject, int keyBits, Duration validity) {
    KeyPair keys = Signing.generate("RSA", keyBits);
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject.x500Name(), Signing.serial(),
          Date.from(start), Date.from(start.plus(validity)), subject.x500Name(), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              Signing.extensionUtils().createSubjectKeyIdentifier(keys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, Signing.authorityKeyId(keys.getPublic()));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(builder.build(Signing.signer(CA_SIGNATURE, keys.getPrivate())));
      return new RootCa(cert, keys.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a root CA " + subject + ": " + e.getMessage(), e);
    }
  }

  public static RootCa generate(String commonName, int keyBits, Duration validity) {
    return generate(Subject.cn(commonName), keyBits, validity);
  }

  /**
   * The CA in these PEM files (the first certificate of {@code certificateFile}; a PKCS#1, PKCS#8
   * or EC key). Fails in one line when the certificate is not a CA or the key is another one.
   */
  public static RootCa load(Path certificateFile, Path keyFile) {
    X509Certificate cert = Pem.readCertificate(certificateFile);
    PrivateKey key = Pem.readPrivateKey(keyFile);
    if (cert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(certificateFile + ": " + Certificates.subject(cert)
          + " is not a CA certificate (basicConstraints CA:TRUE is missing)");
    }
    if (!Certificates.keyMatches(cert, key)) {
      throw new IllegalArgumentException(keyFile + ": the private key does not belong to " + Certificates.subject(cert)
          + " in " + certificateFile);
    }
    return new RootCa(cert, key);
  }

  /** A CA from a certificate and key in memory (an intermediate, a CA read from a Secret), checked as {@link #load} does. */
  public static RootCa of(X509Certificate certificate, PrivateKey key) {
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(Certificates.subject(certificate)
          + " is not a CA certificate (basicConstraints CA:TRUE is missing)");
    }
    if (!Certificates.keyMatches(certificate, key)) {
      throw new IllegalArgumentException("the private key does not belong to " + Certificates.subject(certificate));
    }
    return new RootCa(certificate, key);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The signing key (handle with care: never log it). */
  public PrivateKey privateKey() {
    return key;
  }

  /** Writes {@code root.crt} and {@code root.key} (0600) into {@code dir}. */
  public void writeTo(Path dir) {
    Pem.writeCertificates(dir.resolve("root.crt"), List.of(certificate));
    Pem.writePrivateKey(dir.resolve("root.key"), key, Pem.KeyFormat.TRADITIONAL);
  }

  /**
   * Signs the request as {@code openssl x509 -req -extfile certs.cnf -extensions v3_req} does: the
   * subject and key come from the request (whose signature must verify); the extensions come from
   * the profile, not the request (basicConstraints, keyUsage and the SAN, each not critical as in
   * certs.cnf, plus subject and authority key identifiers); validity and signature algorithm from
   * the profile.
   */
  public X509Certificate sign(PKCS10CertificationRequest csr, LeafProfile profile) {
    PublicKey leafKey;
    try {
      // by algorithm name, not OID: the JDK's SunEC has no KeyFactory registered as 1.2.840.10045.2.1
      leafKey = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(leafKey))) {
        throw new IllegalArgumentException("the request for " + Subject.of(csr.getSubject())
            + " has a signature that does not verify with its own key");
      }
    } catch (OperatorCreationException | PKCSException | PEMException e) {
      throw new IllegalArgumentException("the request for " + Subject.of(csr.getSubject()) + " cannot be verified: "
          + e.getMessage(), e);
    }
    Instant start = profile.notBefore() != null ? profile.notBefore() : Instant.now();
    start = start.truncatedTo(ChronoUnit.SECONDS);
    Instant end = start.plus(Duration.ofDays(profile.days()));
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, Signing.serial(),
          Date.from(start), Date.from(end), csr.getSubject(), leafKey);
      Extensions requested = CustomCertificate.requestedExtensions(profile);
      for (ASN1ObjectIdentifier oid : requested.getExtensionOIDs()) {
        builder.addExtension(requested.getExtension(oid));
      }
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          Signing.extensionUtils().createSubjectKeyIdentifier(leafKey));
      builder.addExtension(Extension.authorityKeyIdentifier, false, Signing.authorityKeyId(certificate));
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(Signing.signer(profile.signatureAlgorithm(), key)));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the request for " + Subject.of(csr.getSubject()) + ": "
          + e.getMessage(), e);
    }
  }
}
