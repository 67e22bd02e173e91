package dev.regcheck.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.pki.CertificateRules.Finding;
import dev.regcheck.pki.CertificateRules.Severity;
import dev.regcheck.tls.KeyUse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The S11.2/S11.3 rules, one deviation per test, each certificate otherwise the document's. Size
 * is irrelevant here: one RSA-2048 key serves every leaf (RSA-1024 and EC where the key is the point).
 */
class CertificateRulesTest {
  static final String HOST = "registry.apps.cluster1.xiaohui.cn";
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  static RootCa root;
  static KeyPair leafKeys;

  @BeforeAll
  static void keys() throws Exception {
    root = RootCa.generate("lab-root", 2048, Duration.ofDays(3660));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    leafKeys = rsa.generateKeyPair();
  }

  static X509Certificate leaf(LeafProfile profile) {
    LeafProfile dated = profile.notBefore() == null ? profile.withValidity(NOW.minusSeconds(60), profile.days()) : profile;
    return CustomCertificate.issue(root, dated, leafKeys).certificate();
  }

  static LeafProfile doc() {
    return LeafProfile.document(HOST);
  }

  @Test
  @DisplayName("the document's certificate (with any key of 2048 bits or more) has no findings")
  void documentPasses() {
    assertThat(CertificateRules.check(leaf(doc()), HOST, NOW)).isEmpty();
  }

  @Test
  @DisplayName("SAN mismatch: FAIL naming the SAN names it does have")
  void sanMismatch() {
    assertThat(CertificateRules.check(leaf(doc().withDnsNames("registry.apps.other.example")), HOST, NOW))
        .containsExactly(new Finding(Severity.FAIL,
            "the SAN DNS names [registry.apps.other.example] do not cover " + HOST));
  }

  @Test
  @DisplayName("a CN-only certificate is a FAIL even when the CN is the host: clients ignore the CN")
  void cnOnly() {
    List<Finding> findings = CertificateRules.check(leaf(doc().withSubject(Subject.cn(HOST)).withDnsNames()), HOST, NOW);
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.FAIL);
      assertThat(f.message()).isEqualTo("the certificate has no subjectAltName DNS names (only the subject CN="
          + HOST + "): modern clients ignore the CN, so " + HOST + " is not covered");
    });
  }

  @Test
  @DisplayName("a wildcard SAN one label up covers the host")
  void wildcardCovers() {
    assertThat(CertificateRules.check(leaf(doc().withDnsNames("*.apps.cluster1.xiaohui.cn")), HOST, NOW)).isEmpty();
  }

  @Test
  @DisplayName("expired (validity ended yesterday, fault cert-expired): FAIL naming the end date")
  void expired() {
    X509Certificate cert = leaf(doc().expiredBefore(NOW));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
    assertThat(CertificateRules.check(cert, HOST, NOW)).containsExactly(new Finding(Severity.FAIL,
        "the certificate expired on " + NOW.minus(Duration.ofDays(1)) + " (now " + NOW + ")"));
  }

  @Test
  @DisplayName("not yet valid: FAIL naming the start date")
  void notYetValid() {
    assertThat(CertificateRules.check(leaf(doc().notYetValidAt(NOW)), HOST, NOW)).containsExactly(new Finding(
        Severity.FAIL, "the certificate is not valid yet: valid from " + NOW.plus(Duration.ofDays(1)) + " (now " + NOW + ")"));
  }

  @Test
  @DisplayName("fewer than 30 days left: only a WARN")
  void expiresSoon() {
    List<Finding> findings = CertificateRules.check(leaf(doc().withValidity(NOW.minus(Duration.ofDays(1)), 21)), HOST, NOW);
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.WARN);
      assertThat(f.message()).endsWith(", in 20 days (fewer than 30)");
    });
    assertThat(CertificateRules.passes(findings)).isTrue();
  }

  @Test
  @DisplayName("a CA:TRUE certificate as serving certificate: FAIL; it would pass as a root (S11.3)")
  void caLeaf() {
    X509Certificate cert = leaf(doc().withCa(true));
    assertThat(CertificateRules.check(cert, HOST, NOW)).containsExactly(new Finding(Severity.FAIL,
        "the certificate is a CA (basicConstraints CA:TRUE); a serving certificate must be CA:FALSE"));
  }

  @Test
  @DisplayName("S11.3: a CA:FALSE certificate as root is a FAIL; the generated root has no finding")
  void rootMustBeCa() {
    assertThat(CertificateRules.rootProblems(root.certificate())).isEmpty();
    assertThat(CertificateRules.rootProblems(leaf(doc()))).containsExactly(
        new Finding(Severity.FAIL, "the root C=CN,ST=Shanghai,L=Shanghai,O=Company,OU=SH,CN=xiaohui.cn"
            .replace("C=CN,ST=Shanghai,L=Shanghai,O=Company,OU=SH,CN=xiaohui.cn",
                "CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN")
            + " is not a CA (basicConstraints CA:FALSE); it must be CA:TRUE"),
        new Finding(Severity.FAIL, "the root CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN has keyUsage"
            + " Digital Signature, Non Repudiation, Key Encipherment without Certificate Sign"));
  }

  @Test
  @DisplayName("an RSA key without Key Encipherment: FAIL naming what keyUsage has and lacks")
  void rsaWithoutKeyEncipherment() {
    assertThat(CertificateRules.check(leaf(doc().withKeyUsages(Set.of(KeyUse.DIGITAL_SIGNATURE))), HOST, NOW))
        .containsExactly(new Finding(Severity.FAIL, "keyUsage Digital Signature lacks Key Encipherment"));
  }

  @Test
  @DisplayName("an EC key needs Digital Signature only; without it: FAIL")
  void ecKeyUsage() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = ec.generateKeyPair();
    LeafProfile profile = doc().withKey("EC", 256).withValidity(NOW.minusSeconds(60), 3650);
    X509Certificate good = CustomCertificate.issue(root, profile.withKeyUsages(Set.of(KeyUse.DIGITAL_SIGNATURE)), keys)
        .certificate();
    assertThat(CertificateRules.check(good, HOST, NOW)).isEmpty();
    X509Certificate bad = CustomCertificate.issue(root, profile.withKeyUsages(Set.of(KeyUse.KEY_AGREEMENT)), keys)
        .certificate();
    assertThat(CertificateRules.check(bad, HOST, NOW))
        .containsExactly(new Finding(Severity.FAIL, "keyUsage Key Agreement lacks Digital Signature"));
  }

  @Test
  @DisplayName("a SHA-1 signature: FAIL naming the algorithm")
  void sha1() {
    X509Certificate cert = leaf(doc().withSignatureAlgorithm("SHA1withRSA"));
    assertThat(CertificateRules.check(cert, HOST, NOW)).containsExactly(new Finding(Severity.FAIL,
        "the certificate is signed with SHA1withRSA; clients reject it: SHA-256 or stronger is needed"));
  }

  @Test
  @DisplayName("an RSA-1024 key: FAIL naming its size")
  void rsa1024() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    LeafProfile profile = doc().withKeyBits(1024).withValidity(NOW.minusSeconds(60), 3650);
    X509Certificate cert = CustomCertificate.issue(root, profile, rsa.generateKeyPair()).certificate();
    assertThat(CertificateRules.check(cert, HOST, NOW)).containsExactly(new Finding(Severity.FAIL,
        "the RSA key has 1024 bits; at least 2048 are needed (the procedure uses 4096)"));
  }

  @Test
  @DisplayName("several deviations are all reported, each on its own line")
  void allAtOnce() {
    List<Finding> findings = CertificateRules.check(
        leaf(doc().withCa(true).withDnsNames("other.example").expiredBefore(NOW)), HOST, NOW);
    assertThat(findings).hasSize(3).allSatisfy(f -> assertThat(f.message()).doesNotContain("\n"));
  }
}
