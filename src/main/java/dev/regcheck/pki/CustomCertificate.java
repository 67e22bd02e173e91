package dev.regcheck.pki;

import dev.regcheck.tls.Certificates;
import dev.regcheck.tls.KeyUse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The custom route certificate of step S11, made the way the procedure's openssl commands make it:
 * a key ({@code genrsa 4096}), a request ({@code req -new -subj … -sha512}, here also carrying the
 * certs.cnf extensions as an extension request) and the certificate the root signs
 * ({@code x509 -req … -extfile certs.cnf}). Written as {@code registry.key} (0600),
 * {@code registry.csr} and {@code registry.crt}, and kept on a re-run while still good.
 */
public final class CustomCertificate {
  public static final String DEFAULT_BASE_NAME = "registry";
  /** A kept certificate must have more than this left. */
  public static final Duration MIN_REMAINING = Duration.ofDays(30);

  /** The files {@link #writeTo} wrote. */
  public record Written(Path key, Path csr, Path certificate) {}

  private final PrivateKey key;
  private final PKCS10CertificationRequest csr;
  private final X509Certificate certificate;
  private final boolean reused;

  private CustomCertificate(PrivateKey key, PKCS10CertificationRequest csr, X509Certificate certificate, boolean reused) {
    this.key = key;
    this.csr = csr;
    this.certificate = certificate;
    this.reused = reused;
  }

  /**
   * Starts making the key {@link #ensure} would make for {@code profile} when {@code dir} holds none to keep
   * (its key file is absent), so that the key is ready when the certificate is due.
   */
  public static void makeKeyAhead(Path dir, LeafProfile profile) {
    if (!java.nio.file.Files.exists(dir.resolve(DEFAULT_BASE_NAME + ".key"))) {
      Signing.makeAhead(profile.keyAlgorithm(), profile.keyBits());
    }
  }

  /** A new key, request and certificate signed by {@code root}. */
  public static CustomCertificate issue(RootCa root, LeafProfile profile) {
    return issue(root, profile, Signing.generate(profile.keyAlgorithm(), profile.keyBits()));
  }

  /**
   * With a key made elsewhere (a test or fault that needs many certificates reuses one; the
   * profile's key size is then not what is checked).
   */
  public static CustomCertificate issue(RootCa root, LeafProfile profile, KeyPair keys) {
    PKCS10CertificationRequest request = request(profile, keys);
    return new CustomCertificate(keys.getPrivate(), request, root.sign(request, profile), false);
  }

  /** The PKCS#10 request: the profile's subject, signed with the profile's algorithm, asking for its extensions. */
  public static PKCS10CertificationRequest request(LeafProfile profile, KeyPair keys) {
    return new JcaPKCS10CertificationRequestBuilder(profile.subject().x500Name(), keys.getPublic())
        .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, requestedExtensions(profile))
        .build(Signing.signer(profile.signatureAlgorithm(), keys.getPrivate()));
  }

  /** certs.cnf's [v3_req]: basicConstraints, keyUsage (when any), subjectAltName (when any), none critical. */
  static Extensions requestedExtensions(LeafProfile profile) {
    try {
      ExtensionsGenerator generator = new ExtensionsGenerator();
      generator.addExtension(Extension.basicConstraints, false, new BasicConstraints(profile.ca()));
      if (!profile.keyUsages().isEmpty()) {
        int bits = 0;
        for (KeyUse use : profile.keyUsages()) {
          bits |= keyUsageBit(use);
        }
        generator.addExtension(Extension.keyUsage, false, new KeyUsage(bits));
      }
      if (!profile.dnsNames().isEmpty()) {
        generator.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(profile.dnsNames().stream()
            .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
      }
      return generator.generate();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode the extensions of " + profile.subject() + ": " + e.getMessage(), e);
    }
  }

  private static int keyUsageBit(KeyUse use) {
    return switch (use) {
      case DIGITAL_SIGNATURE -> KeyUsage.digitalSignature;
      case NON_REPUDIATION -> KeyUsage.nonRepudiation;
      case KEY_ENCIPHERMENT -> KeyUsage.keyEncipherment;
      case DATA_ENCIPHERMENT -> KeyUsage.dataEncipherment;
      case KEY_AGREEMENT -> KeyUsage.keyAgreement;
      case KEY_CERT_SIGN -> KeyUsage.keyCertSign;
      case CRL_SIGN -> KeyUsage.cRLSign;
      case ENCIPHER_ONLY -> KeyUsage.encipherOnly;
      case DECIPHER_ONLY -> KeyUsage.decipherOnly;
    };
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The private key (handle with care: never log it). */
  public PrivateKey privateKey() {
    return key;
  }

  /** The request; empty for a kept certificate whose {@code .csr} was not there. */
  public Optional<PKCS10CertificationRequest> csr() {
    return Optional.ofNullable(csr);
  }

  /** Whether this is a certificate found already written rather than one just made. */
  public boolean reused() {
    return reused;
  }

  /** {@code tls.crt}: the certificate alone, as {@code oc create secret tls --cert registry.crt} gets it. */
  public String certificatePem() {
    return Pem.toPem(certificate);
  }

  public Written writeTo(Path dir) {
    return writeTo(dir, DEFAULT_BASE_NAME);
  }

  /**
   * Writes {@code <base>.key} (PKCS#1 as OpenSSL 1.x genrsa writes it, 0600 from creation),
   * {@code <base>.csr} and {@code <base>.crt}, and nothing else.
   */
  public Written writeTo(Path dir, String baseName) {
    Written files = files(dir, baseName);
    Pem.writePrivateKey(files.key(), key, Pem.KeyFormat.TRADITIONAL);
    if (csr != null) {
      Pem.writeCsr(files.csr(), csr);
    }
    Pem.writeCertificates(files.certificate(), List.of(certificate));
    return files;
  }

  private static Written files(Path dir, String baseName) {
    return new Written(dir.resolve(baseName + ".key"), dir.resolve(baseName + ".csr"), dir.resolve(baseName + ".crt"));
  }

  /** {@link #existing(Path, String, String, X509Certificate, Instant)} with the base name {@code registry}. */
  public static Optional<CustomCertificate> existing(Path dir, String host, X509Certificate root, Instant now) {
    return existing(dir, DEFAULT_BASE_NAME, host, root, now);
  }

  /**
   * The certificate and key already in {@code dir} when they are still good for {@code host}: the
   * key belongs to the certificate, a SAN covers the host, it chains to {@code root}, it is valid
   * now with more than 30 days left, and no S11.2 rule fails. Missing or unreadable files give empty
   * (the caller makes new ones).
   */
  public static Optional<CustomCertificate> existing(Path dir, String baseName, String host, X509Certificate root,
      Instant now) {
    return reuseProblem(dir, baseName, List.of(host), root, now).isEmpty() ? load(dir, baseName) : Optional.empty();
  }

  /** Why the files in {@code dir} cannot be kept for these hosts, or empty when they can. */
  public static Optional<String> reuseProblem(Path dir, String baseName, List<String> hosts, X509Certificate root,
      Instant now) {
    Written files = files(dir, baseName);
    if (!Files.exists(files.certificate()) || !Files.exists(files.key())) {
      return Optional.of("no " + files.certificate().getFileName() + " and " + files.key().getFileName() + " yet");
    }
    X509Certificate cert;
    PrivateKey privateKey;
    try {
      cert = Pem.readCertificate(files.certificate());
      privateKey = Pem.readPrivateKey(files.key());
    } catch (PemException e) {
      return Optional.of(e.getMessage());
    }
    if (!Certificates.keyMatches(cert, privateKey)) {
      return Optional.of(files.key() + " does not belong to " + files.certificate());
    }
    List<String> problems = new ArrayList<>();
    for (String host : hosts) {
      for (CertificateRules.Finding f : CertificateRules.check(cert, host, now)) {
        if (f.severity() == CertificateRules.Severity.FAIL) {
          problems.add(f.message());
        }
      }
    }
    Certificates.buildChain(cert, List.of(), List.of(root), now).problem().ifPresent(problems::add);
    if (!cert.getNotAfter().toInstant().isAfter(now.plus(MIN_REMAINING))) {
      problems.add("it expires on " + cert.getNotAfter().toInstant() + ", within " + MIN_REMAINING.toDays() + " days");
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  private static Optional<CustomCertificate> load(Path dir, String baseName) {
    Written files = files(dir, baseName);
    PKCS10CertificationRequest request = null;
    if (Files.exists(files.csr())) {
      try {
        request = Pem.readCsr(files.csr());
      } catch (PemException e) {
        request = null;
      }
    }
    return Optional.of(new CustomCertificate(Pem.readPrivateKey(files.key()), request,
        Pem.readCertificate(files.certificate()), true));
  }

  /**
   * Idempotent: the certificate already in {@code dir} when it is still good for every DNS name of
   * the profile (see {@link #existing}), otherwise a new one issued by {@code root} and written. A
   * new certificate without a set notBefore starts at {@code now}.
   */
  public static CustomCertificate ensure(Path dir, RootCa root, LeafProfile profile, Instant now) {
    if (reuseProblem(dir, DEFAULT_BASE_NAME, profile.dnsNames(), root.certificate(), now).isEmpty()) {
      return load(dir, DEFAULT_BASE_NAME).orElseThrow();
    }
    // issued on the same clock it is judged by: valid from now, not from a later second
    CustomCertificate made = issue(root, profile.notBefore() != null ? profile
        : profile.withValidity(now, profile.days()));
    made.writeTo(dir);
    return made;
  }
}
