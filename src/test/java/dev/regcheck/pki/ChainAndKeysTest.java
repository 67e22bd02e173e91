package dev.regcheck.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.tls.BuiltChain;
import dev.regcheck.tls.Certificates;
import dev.regcheck.tls.KeyUse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The facts API's chain building and key matching: a path when there is one, one precise reason when not. */
class ChainAndKeysTest {
  static final String HOST = "registry.apps.cluster1.xiaohui.cn";

  static RootCa root;
  static RootCa impostor;
  static KeyPair leafKeys;
  static X509Certificate leaf;

  @BeforeAll
  static void pki() throws Exception {
    root = RootCa.generate("lab-root", 2048, Duration.ofDays(3660));
    // the same name, another key: what a re-made root looks like to a client that kept the old one
    impostor = RootCa.generate("lab-root", 2048, Duration.ofDays(3660));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    leafKeys = rsa.generateKeyPair();
    leaf = CustomCertificate.issue(root, profile(), leafKeys).certificate();
  }

  static LeafProfile profile() {
    return LeafProfile.document(HOST).withValidity(Instant.now().minusSeconds(60), 3650);
  }

  @Test
  @DisplayName("a leaf chains to its root: the path is leaf then root")
  void chains() {
    BuiltChain chain = Certificates.buildChain(leaf, List.of(), List.of(root.certificate()), Instant.now());
    assertThat(chain.verified()).isTrue();
    assertThat(chain.path()).containsExactly(leaf, root.certificate());
    assertThat(chain.anchor()).isEqualTo(root.certificate());
  }

  @Test
  @DisplayName("through an intermediate given separately: leaf, intermediate, root")
  void chainsThroughAnIntermediate() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair interKeys = rsa.generateKeyPair();
    X509Certificate inter = CustomCertificate.issue(root, profile().withSubject(Subject.cn("lab-intermediate"))
        .withDnsNames().withCa(true).withKeyUsages(Set.of(KeyUse.KEY_CERT_SIGN, KeyUse.CRL_SIGN)), interKeys).certificate();
    RootCa intermediate = RootCa.of(inter, interKeys.getPrivate());
    X509Certificate below = CustomCertificate.issue(intermediate, profile(), leafKeys).certificate();
    BuiltChain chain = Certificates.buildChain(below, List.of(inter), List.of(root.certificate()), Instant.now());
    assertThat(chain.problem()).isEmpty();
    assertThat(chain.path()).containsExactly(below, inter, root.certificate());
    assertThat(Certificates.buildChain(below, List.of(), List.of(root.certificate()), Instant.now()).problem())
        .hasValue("unknown issuer CN=lab-intermediate (of the leaf CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN)"
            + ": not among CN=lab-root");
  }

  @Test
  @DisplayName("wrong root: the reason names the unknown issuer")
  void wrongRoot() {
    RootCa other = RootCa.generate("other-root", 2048, Duration.ofDays(30));
    assertThat(Certificates.buildChain(leaf, List.of(), List.of(other.certificate()), Instant.now()).problem())
        .hasValue("unknown issuer CN=lab-root (of the leaf CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN)"
            + ": not among CN=other-root");
    assertThat(Certificates.chainProblem(List.of(leaf), List.of(other.certificate()), Instant.now()))
        .hasValueSatisfying(p -> assertThat(p).startsWith("does not chain to CN=other-root"));
  }

  @Test
  @DisplayName("a root of the same name with another key: the reason is the signature")
  void signatureInvalid() {
    assertThat(Certificates.buildChain(leaf, List.of(), List.of(impostor.certificate()), Instant.now()).problem())
        .hasValue("the signature of the leaf CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN does not verify"
            + " with the key of its issuer CN=lab-root (same name, different key)");
  }

  @Test
  @DisplayName("an expired leaf: the reason names that certificate and the date")
  void expired() {
    Instant now = Instant.now();
    X509Certificate old = CustomCertificate.issue(root, LeafProfile.document(HOST).expiredBefore(now), leafKeys).certificate();
    assertThat(Certificates.buildChain(old, List.of(), List.of(root.certificate()), now).problem())
        .hasValue("the leaf CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN is expired on "
            + old.getNotAfter().toInstant());
  }

  @Test
  @DisplayName("a root that has expired while its leaf has not fails too, naming the root")
  void expiredRoot() {
    RootCa shortLived = RootCa.generate("short-root", 2048, Duration.ofDays(30));
    X509Certificate outliving = CustomCertificate.issue(shortLived, profile(), leafKeys).certificate();
    Instant later = shortLived.certificate().getNotAfter().toInstant().plusSeconds(1);
    assertThat(Certificates.buildChain(outliving, List.of(), List.of(shortLived.certificate()), later).problem())
        .hasValue("the root CN=short-root is expired on " + shortLived.certificate().getNotAfter().toInstant());
  }

  @Test
  @DisplayName("keyMatches: RSA and EC keys match their own certificate, not another's")
  void keyMatches() throws Exception {
    assertThat(Certificates.keyMatches(leaf, leafKeys.getPrivate())).isTrue();
    assertThat(Certificates.keyMatches(leaf, root.privateKey())).isFalse();
    assertThat(Certificates.keyMatches(root.certificate(), impostor.privateKey())).isFalse();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair mine = ec.generateKeyPair();
    KeyPair another = ec.generateKeyPair();
    X509Certificate ecLeaf = CustomCertificate.issue(root, profile().withKey("EC", 256), mine).certificate();
    assertThat(Certificates.keyMatches(ecLeaf, mine.getPrivate())).isTrue();
    assertThat(Certificates.keyMatches(ecLeaf, another.getPrivate())).isFalse();
    assertThat(Certificates.keyMatches(ecLeaf, leafKeys.getPrivate())).isFalse();
    assertThat(Certificates.keyMatches(leaf, mine.getPrivate())).isFalse();
  }
}
