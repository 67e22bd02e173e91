package dev.regcheck.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.tls.BuiltChain;
import dev.regcheck.tls.CertificateFacts;
import dev.regcheck.tls.Certificates;
import dev.regcheck.tls.KeyUse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.Assertions;

/**
 * A certificate made by openssl with the procedure's exact S11 commands (after a throwaway root)
 * is judged, chained and loaded by regcheck as the procedure intends; and openssl's keys and
 * requests of other shapes (PKCS#1, EC with its EC PARAMETERS block) go through regcheck's CA.
 */
class OpensslDocumentTest {
  static final String HOST = "registry.apps.cluster1.xiaohui.cn";

  @TempDir
  static Path dir;

  @BeforeAll
  static void theDocumentsCommands() throws Exception {
    Openssl.assumePresent();
    Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.crt",
        "-subj", "/CN=lab-root", "-days", "30").ok();
    Openssl.run(dir, "genrsa", "-out", "registry.key", "4096").ok();
    Openssl.run(dir, "req", "-new", "-key", "registry.key", "-out", "registry.csr", "-subj",
        "/C=CN/ST=Shanghai/L=Shanghai/O=Company/OU=SH/CN=xiaohui.cn", "-sha512").ok();
    Files.writeString(dir.resolve("certs.cnf"), """
        [v3_req]
        basicConstraints = CA:FALSE
        keyUsage = nonRepudiation, digitalSignature, keyEncipherment
        subjectAltName = DNS:%s
        """.formatted(HOST));
    Openssl.run(dir, "x509", "-req", "-in", "registry.csr", "-CA", "root.crt", "-CAkey", "root.key", "-CAcreateserial",
        "-out", "registry.crt", "-days", "3650", "-sha512", "-extensions", "v3_req", "-extfile", "certs.cnf").ok();
  }

  @Test
  @DisplayName("the S11.2 rules find nothing in openssl's certificate, and the facts are the document's")
  void passesTheRules() {
    X509Certificate leaf = Pem.readCertificate(dir.resolve("registry.crt"));
    assertThat(CertificateRules.check(leaf, HOST, Instant.now())).isEmpty();
    CertificateFacts facts = CertificateFacts.of(leaf);
    assertThat(facts.dnsNames()).containsExactly(HOST);
    assertThat(facts.keyUsages()).isEqualTo(LeafProfile.DOCUMENT_KEY_USAGES);
    assertThat(facts.keyBits()).isEqualTo(4096);
    assertThat(facts.signatureAlgorithm()).isEqualTo("SHA512withRSA");
    assertThat(facts.basicConstraints().present()).isTrue();
    assertThat(facts.isCa()).isFalse();
    assertThat(Subject.of(leaf.getSubjectX500Principal()).toString()).isEqualTo(LeafProfile.DOCUMENT_SUBJECT);
  }

  @Test
  @DisplayName("it chains to openssl's root through the facts API, which is a CA by the S11.3 rule")
  void chainsToTheRoot() {
    X509Certificate leaf = Pem.readCertificate(dir.resolve("registry.crt"));
    X509Certificate root = Pem.readCertificate(dir.resolve("root.crt"));
    BuiltChain chain = Certificates.buildChain(leaf, List.of(), List.of(root), Instant.now());
    assertThat(chain.problem()).isEmpty();
    assertThat(chain.path()).containsExactly(leaf, root);
    assertThat(CertificateRules.rootProblems(root)).isEmpty();
    assertThat(Certificates.chainProblem(List.of(leaf), List.of(root), Instant.now())).isEmpty();
  }

  @Test
  @DisplayName("RootCa.load reads openssl 3's PKCS#8 root key; the leaf key (PKCS#8 too) matches the leaf, not the root")
  void loadsOpensslKeys() throws Exception {
    assertThat(Files.readString(dir.resolve("root.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("registry.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    RootCa root = RootCa.load(dir.resolve("root.crt"), dir.resolve("root.key"));
    assertThat(Certificates.subject(root.certificate())).isEqualTo("CN=lab-root");
    PrivateKey leafKey = Pem.readPrivateKey(dir.resolve("registry.key"));
    X509Certificate leaf = Pem.readCertificate(dir.resolve("registry.crt"));
    assertThat(Certificates.keyMatches(leaf, leafKey)).isTrue();
    assertThat(Certificates.keyMatches(root.certificate(), leafKey)).isFalse();
    assertThat(Pem.readCsr(dir.resolve("registry.csr")).getSubject().toString())
        .isEqualTo("C=CN,ST=Shanghai,L=Shanghai,O=Company,OU=SH,CN=xiaohui.cn");
  }

  @Test
  @DisplayName("RootCa.load refuses the leaf as a root, and a root with the leaf's key, each in one line")
  void loadRefusesWhatIsNotARoot() {
    Path leafCrt = dir.resolve("registry.crt");
    Assertions.assertThatThrownBy(() -> RootCa.load(leafCrt, dir.resolve("registry.key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(leafCrt + ": C=CN,ST=Shanghai,L=Shanghai,O=Company,OU=SH,CN=xiaohui.cn is not a CA certificate"
            .replace("C=CN,ST=Shanghai,L=Shanghai,O=Company,OU=SH,CN=xiaohui.cn", "CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN")
            + " (basicConstraints CA:TRUE is missing)");
    Assertions.assertThatThrownBy(() -> RootCa.load(dir.resolve("root.crt"), dir.resolve("registry.key")))
        .hasMessage(dir.resolve("registry.key") + ": the private key does not belong to CN=lab-root in " + dir.resolve("root.crt"));
  }

  @Test
  @DisplayName("openssl's PKCS#1 key and its request are signed by regcheck's CA; openssl verifies the result")
  void signsAnOpensslRequest(@TempDir Path work) throws Exception {
    Openssl.run(work, "genrsa", "-traditional", "-out", "trad.key", "2048").ok();
    Openssl.run(work, "req", "-new", "-key", "trad.key", "-out", "trad.csr", "-subj", LeafProfile.DOCUMENT_SUBJECT).ok();
    assertThat(Files.readString(work.resolve("trad.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    RootCa root = RootCa.load(dir.resolve("root.crt"), dir.resolve("root.key"));
    X509Certificate leaf = root.sign(Pem.readCsr(work.resolve("trad.csr")), LeafProfile.document(HOST));
    Pem.writeCertificates(work.resolve("trad.crt"), List.of(leaf));
    assertThat(Certificates.keyMatches(leaf, Pem.readPrivateKey(work.resolve("trad.key")))).isTrue();
    assertThat(Openssl.run(work, "verify", "-CAfile", dir.resolve("root.crt").toString(), "trad.crt").ok().output().trim())
        .isEqualTo("trad.crt: OK");
    assertThat(CertificateRules.check(leaf, HOST, Instant.now())).isEmpty();
  }

  @Test
  @DisplayName("openssl's EC key (EC PARAMETERS then EC PRIVATE KEY) is read; an EC leaf without Key Encipherment passes the rules")
  void ecKeys(@TempDir Path work) throws Exception {
    Openssl.run(work, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key").ok();
    Openssl.run(work, "req", "-new", "-key", "ec.key", "-out", "ec.csr", "-subj", "/CN=" + HOST).ok();
    assertThat(Files.readString(work.resolve("ec.key"))).startsWith("-----BEGIN EC PARAMETERS-----");
    PrivateKey key = Pem.readPrivateKey(work.resolve("ec.key"));
    assertThat(key.getAlgorithm()).isEqualTo("EC");
    RootCa root = RootCa.load(dir.resolve("root.crt"), dir.resolve("root.key"));
    X509Certificate leaf = root.sign(Pem.readCsr(work.resolve("ec.csr")),
        LeafProfile.document(HOST).withKeyUsages(Set.of(KeyUse.DIGITAL_SIGNATURE)));
    assertThat(Certificates.keyMatches(leaf, key)).isTrue();
    assertThat(CertificateFacts.of(leaf).keyBits()).isEqualTo(256);
    assertThat(CertificateRules.check(leaf, HOST, Instant.now())).isEmpty();
  }
}
