package dev.regcheck.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key made ahead of its step is of the kind asked for, taken once, and never made where a key is kept. */
class KeyAheadTest {
  @Test
  void aKeyMadeAheadIsTakenOnceByTheNextOfItsKind() {
    Signing.makeAhead("RSA", 1024);
    assertThat(Signing.aheadPending("RSA", 1024)).isTrue();
    KeyPair first = Signing.generate("RSA", 1024);
    assertThat(Signing.aheadPending("RSA", 1024)).as("taken by the first key of its kind").isFalse();
    KeyPair second = Signing.generate("RSA", 1024);
    assertThat(((RSAPublicKey) first.getPublic()).getModulus().bitLength()).isEqualTo(1024);
    assertThat(second.getPublic()).as("the next key of the kind is a new one").isNotEqualTo(first.getPublic());
    // another kind does not take it
    Signing.makeAhead("EC", 256);
    KeyPair rsa = Signing.generate("RSA", 1024);
    assertThat(rsa.getPublic().getAlgorithm()).isEqualTo("RSA");
    assertThat(Signing.aheadPending("EC", 256)).as("an RSA key does not take an EC one").isTrue();
    assertThat(Signing.generate("EC", 256).getPublic().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void theCertificateUsesTheKeyMadeAheadAndAKeptOneIsKept(@TempDir Path dir) throws Exception {
    RootCa root = RootCa.generate("key-ahead root", 2048, java.time.Duration.ofDays(30));
    LeafProfile leaf = LeafProfile.document("registry.apps.example.test").withKeyBits(2048);
    CustomCertificate.makeKeyAhead(dir, leaf);
    assertThat(Signing.aheadPending("RSA", 2048)).isTrue();
    CustomCertificate made = CustomCertificate.ensure(dir, root, leaf, Instant.now());
    assertThat(made.reused()).isFalse();
    assertThat(Files.exists(dir.resolve("registry.key"))).isTrue();
    // a key file is there: nothing is made ahead, and the still-valid certificate is kept
    CustomCertificate.makeKeyAhead(dir, leaf);
    assertThat(Signing.aheadPending("RSA", 2048)).as("nothing made ahead where a key is kept").isFalse();
    CustomCertificate kept = CustomCertificate.ensure(dir, root, leaf, Instant.now());
    assertThat(kept.reused()).isTrue();
    assertThat(kept.certificate()).isEqualTo(made.certificate());
  }
}
