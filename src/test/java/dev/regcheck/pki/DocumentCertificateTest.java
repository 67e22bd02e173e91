package dev.regcheck.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.tls.CertificateFacts;
import dev.regcheck.tls.Certificates;
import dev.regcheck.tls.KeyUse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate regcheck makes for step S11 has every property the procedure's openssl commands
 * and certs.cnf give it, read back through the facts API and through openssl itself. One RSA-4096
 * key for the whole class (plus a 2048 one for the host change).
 */
class DocumentCertificateTest {
  static final String HOST = "registry.apps.cluster1.xiaohui.cn";

  @TempDir
  static Path work;
  static Path rootDir;
  static Path certDir;
  static RootCa root;
  static CustomCertificate made;
  static CustomCertificate.Written files;

  @BeforeAll
  static void issue() throws Exception {
    rootDir = Files.createDirectory(work.resolve("root"));
    certDir = Files.createDirectory(work.resolve("certs"));
    root = RootCa.generate("lab-root", 2048, Duration.ofDays(3660));
    root.writeTo(rootDir);
    made = CustomCertificate.issue(root, LeafProfile.document(HOST));
    files = made.writeTo(certDir);
  }

  @Test
  @DisplayName("the facts API reads back every certs.cnf property: SAN, CA:FALSE, key usages, RSA-4096, SHA512withRSA, 3650 days")
  void factsMatchTheDocument() {
    CertificateFacts facts = CertificateFacts.of(made.certificate());
    assertThat(facts.dnsNames()).containsExactly(HOST);
    assertThat(facts.basicConstraints().present()).isTrue();
    assertThat(facts.basicConstraints().critical()).isFalse();
    assertThat(facts.isCa()).isFalse();
    assertThat(facts.keyUsages()).containsExactlyInAnyOrder(KeyUse.NON_REPUDIATION, KeyUse.DIGITAL_SIGNATURE,
        KeyUse.KEY_ENCIPHERMENT);
    assertThat(facts.keyAlgorithm()).isEqualTo("RSA");
    assertThat(facts.keyBits()).isEqualTo(4096);
    assertThat(facts.signatureAlgorithm()).isEqualTo("SHA512withRSA");
    assertThat(Duration.between(facts.notBefore(), facts.notAfter())).isEqualTo(Duration.ofDays(3650));
    assertThat(facts.daysLeft(Instant.now())).isBetween(3648L, 3650L);
    assertThat(Subject.of(made.certificate().getSubjectX500Principal()).toString()).isEqualTo(LeafProfile.DOCUMENT_SUBJECT);
    assertThat(facts.issuer()).isEqualTo("CN=lab-root");
  }

  @Test
  @DisplayName("the leaf carries a subject key identifier and an authority key identifier equal to the root's SKI")
  void keyIdentifiers() {
    X509Certificate leaf = made.certificate();
    assertThat(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
    byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
        leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
    byte[] rootSki = ASN1OctetString.getInstance(ASN1OctetString.getInstance(
        root.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getOctets();
    assertThat(aki).isEqualTo(rootSki);
  }

  @Test
  @DisplayName("openssl x509 -text shows the SAN, CA:FALSE, the three key usages, a 4096-bit key and sha512WithRSAEncryption")
  void opensslReadsTheCertificate() throws Exception {
    Openssl.assumePresent();
    String text = Openssl.run(certDir, "x509", "-noout", "-text", "-in", "registry.crt").ok().output();
    assertThat(Openssl.lineAfter(text, "X509v3 Subject Alternative Name:")).isEqualTo("DNS:" + HOST);
    assertThat(Openssl.line(text, "X509v3 Basic Constraints:")).doesNotContain("critical");
    assertThat(Openssl.lineAfter(text, "X509v3 Basic Constraints:")).isEqualTo("CA:FALSE");
    assertThat(Openssl.lineAfter(text, "X509v3 Key Usage:"))
        .isEqualTo("Digital Signature, Non Repudiation, Key Encipherment");
    assertThat(Openssl.line(text, "Public-Key:")).isEqualTo("Public-Key: (4096 bit)");
    assertThat(Openssl.line(text, "Signature Algorithm:")).isEqualTo("Signature Algorithm: sha512WithRSAEncryption");
    assertThat(Openssl.line(text, "Subject:"))
        .isEqualTo("Subject: C = CN, ST = Shanghai, L = Shanghai, O = Company, OU = SH, CN = xiaohui.cn");
    assertThat(text).contains("X509v3 Subject Key Identifier:", "X509v3 Authority Key Identifier:");
  }

  @Test
  @DisplayName("openssl verify -CAfile root.crt registry.crt prints OK")
  void opensslVerifiesTheChain() throws Exception {
    Openssl.assumePresent();
    String out = Openssl.run(certDir, "verify", "-CAfile", rootDir.resolve("root.crt").toString(), "registry.crt")
        .ok().output();
    assertThat(out.trim()).isEqualTo("registry.crt: OK");
  }

  @Test
  @DisplayName("openssl req -verify accepts registry.csr, whose subject is the document's and which requests the certs.cnf extensions")
  void opensslVerifiesTheRequest() throws Exception {
    Openssl.assumePresent();
    String out = Openssl.run(certDir, "req", "-verify", "-in", "registry.csr", "-noout", "-text").ok().output();
    assertThat(out).contains("verify OK");
    assertThat(Openssl.line(out, "Subject:"))
        .isEqualTo("Subject: C = CN, ST = Shanghai, L = Shanghai, O = Company, OU = SH, CN = xiaohui.cn");
    assertThat(out).contains("Requested Extensions:");
    assertThat(Openssl.lineAfter(out, "X509v3 Subject Alternative Name:")).isEqualTo("DNS:" + HOST);
    assertThat(Openssl.line(out, "Signature Algorithm:")).isEqualTo("Signature Algorithm: sha512WithRSAEncryption");
  }

  @Test
  @DisplayName("openssl rsa -check accepts registry.key, a PKCS#1 key as OpenSSL 1.x genrsa writes it")
  void opensslChecksTheKey() throws Exception {
    Openssl.assumePresent();
    String out = Openssl.run(certDir, "rsa", "-check", "-noout", "-in", "registry.key").ok().output();
    assertThat(out.trim()).isEqualTo("RSA key ok");
    assertThat(Files.readString(files.key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
  }

  @Test
  @DisplayName("exactly registry.key (rw-------), registry.csr and registry.crt are written, and no temporary file is left")
  void writesThreeFilesKeyOwnerOnly() throws Exception {
    try (Stream<Path> listing = Files.list(certDir)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("registry.key", "registry.csr", "registry.crt");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.certificate()))).isEqualTo("rw-r--r--");
  }

  @Test
  @DisplayName("the S11.2 rules find nothing to say about it, the S11.3 rules nothing about its root; it chains and its key matches")
  void passesTheRules() {
    Instant now = Instant.now();
    assertThat(CertificateRules.check(made.certificate(), HOST, now)).isEmpty();
    assertThat(CertificateRules.rootProblems(root.certificate())).isEmpty();
    assertThat(Certificates.buildChain(made.certificate(), List.of(), List.of(root.certificate()), now).path())
        .containsExactly(made.certificate(), root.certificate());
    assertThat(Certificates.keyMatches(made.certificate(), Pem.readPrivateKey(files.key()))).isTrue();
    assertThat(Certificates.keyMatches(made.certificate(), root.privateKey())).isFalse();
  }

  @Test
  @DisplayName("a re-run keeps the written certificate (same serial); another host makes a new one")
  void keepsItUntilTheHostChanges(@TempDir Path dir) {
    Instant now = Instant.now();
    made.writeTo(dir);
    assertThat(CustomCertificate.existing(dir, HOST, root.certificate(), now))
        .hasValueSatisfying(kept -> {
          assertThat(kept.certificate().getSerialNumber()).isEqualTo(made.certificate().getSerialNumber());
          assertThat(kept.reused()).isTrue();
        });
    CustomCertificate again = CustomCertificate.ensure(dir, root, LeafProfile.document(HOST), now);
    assertThat(again.reused()).isTrue();
    assertThat(again.certificate().getSerialNumber()).isEqualTo(made.certificate().getSerialNumber());

    String other = "registry.apps.cluster2.xiaohui.cn";
    assertThat(CustomCertificate.existing(dir, other, root.certificate(), now)).isEmpty();
    assertThat(CustomCertificate.reuseProblem(dir, "registry", List.of(other), root.certificate(), now))
        .hasValueSatisfying(p -> assertThat(p).contains("do not cover " + other));
    CustomCertificate renewed = CustomCertificate.ensure(dir, root, LeafProfile.document(other).withKeyBits(2048), now);
    assertThat(renewed.reused()).isFalse();
    assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(made.certificate().getSerialNumber());
    assertThat(CustomCertificate.existing(dir, other, root.certificate(), now)).hasValueSatisfying(kept ->
        assertThat(kept.certificate().getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber()));
  }

  @Test
  @DisplayName("a written certificate is not kept against another root, nor when fewer than 30 days would be left")
  void notKeptForAnotherRootOrNearExpiry(@TempDir Path dir) {
    made.writeTo(dir);
    RootCa stranger = RootCa.generate("another-root", 2048, Duration.ofDays(30));
    assertThat(CustomCertificate.reuseProblem(dir, "registry", List.of(HOST), stranger.certificate(), Instant.now()))
        .hasValueSatisfying(p -> assertThat(p).contains("unknown issuer CN=lab-root"));
    Instant late = made.certificate().getNotAfter().toInstant().minus(Duration.ofDays(10));
    assertThat(CustomCertificate.existing(dir, HOST, root.certificate(), late)).isEmpty();
    assertThat(CustomCertificate.reuseProblem(dir, "registry", List.of(HOST), root.certificate(), late))
        .hasValueSatisfying(p -> assertThat(p).isEqualTo("it expires on " + made.certificate().getNotAfter().toInstant()
            + ", within 30 days"));
  }
}
