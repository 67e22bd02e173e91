package dev.regcheck.assertions;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;
import static dev.regcheck.assertions.RegistryAssertions.assertThatChain;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.pki.CustomCertificate;
import dev.regcheck.pki.LeafProfile;
import dev.regcheck.pki.RootCa;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The certificate assertion, for a served chain and for one certificate: passes, and fails saying why. */
class CertificateChainAssertTest {
  static final String HOST = "registry.apps.cluster1.xiaohui.cn";
  static RootCa root;
  static RootCa other;
  static X509Certificate leaf;

  @BeforeAll
  static void pki() throws Exception {
    root = RootCa.generate("lab-root", 2048, Duration.ofDays(30));
    other = RootCa.generate("other-root", 2048, Duration.ofDays(30));
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = ec.generateKeyPair();
    leaf = CustomCertificate.issue(root, LeafProfile.document(HOST).withKey("EC", 256)
        .withValidity(Instant.now().minusSeconds(60), 10), keys).certificate();
  }

  @Test
  @DisplayName("assertThat(cert).coversHost(h).chainsTo(root) passes for the route certificate")
  void passes() {
    assertThat(leaf, "registry.crt").coversHost(HOST).isValidAt(Instant.now()).chainsTo(root.certificate());
    assertThatChain(List.of(leaf, root.certificate()), "route registry").coversHosts(HOST)
        .chainsTo(root.certificate(), Instant.now())
        .chainsTo(List.of(root.certificate()), "the lab root", Instant.now());
  }

  @Test
  @DisplayName("another host: the failure names the file, the subject and the SAN names it has")
  void otherHost() {
    assertThatThrownBy(() -> assertThat(leaf, "registry.crt").coversHost("registry.apps.other.example"))
        .isInstanceOf(CheckFailure.class)
        .hasMessageStartingWith("registry.crt (CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN) does not cover "
            + "registry.apps.other.example; its SAN DNS names are [" + HOST + "]")
        .satisfies(e -> Assertions.assertThat(((CheckFailure) e).evidence())
            .extracting(CheckFailure.Evidence::name).contains("certificate.txt"));
  }

  @Test
  @DisplayName("another root: the failure names the unknown issuer")
  void otherRoot() {
    assertThatThrownBy(() -> assertThatChain(List.of(leaf), "route registry").chainsTo(other.certificate()))
        .isInstanceOf(CheckFailure.class)
        .hasMessageStartingWith("the certificate route registry serves (CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN)"
            + " does not chain to CN=other-root: unknown issuer CN=lab-root");
  }

  @Test
  @DisplayName("past its end: the failure says when it expired")
  void expired() {
    Instant later = leaf.getNotAfter().toInstant().plusSeconds(1);
    assertThatThrownBy(() -> assertThat(leaf, "registry.crt").isValidAt(later))
        .hasMessageStartingWith("registry.crt (CN=xiaohui.cn,OU=SH,O=Company,L=Shanghai,ST=Shanghai,C=CN) is expired on "
            + leaf.getNotAfter().toInstant());
  }
}
