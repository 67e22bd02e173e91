package dev.regcheck.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM in and out: every key shape round-trips, bad input is one line naming the file, keys are 0600. */
class PemTest {
  static RootCa root;
  static KeyPair rsa;
  static KeyPair ec;

  @TempDir
  Path dir;

  @BeforeAll
  static void keys() throws Exception {
    root = RootCa.generate("lab-root", 2048, Duration.ofDays(30));
    rsa = new KeyPair(root.certificate().getPublicKey(), root.privateKey());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    ec = generator.generateKeyPair();
  }

  @Test
  @DisplayName("RSA and EC keys round-trip as PKCS#1/SEC1 and PKCS#8, with the headers openssl writes")
  void keysRoundTrip() throws Exception {
    for (KeyPair keys : List.of(rsa, ec)) {
      for (Pem.KeyFormat format : Pem.KeyFormat.values()) {
        Path file = dir.resolve(keys.getPrivate().getAlgorithm() + "-" + format + ".key");
        Pem.writePrivateKey(file, keys.getPrivate(), format);
        String header = format == Pem.KeyFormat.PKCS8 ? "PRIVATE KEY" : keys.getPrivate().getAlgorithm() + " PRIVATE KEY";
        assertThat(Files.readString(file)).startsWith("-----BEGIN " + header + "-----\n");
        PrivateKey back = Pem.readPrivateKey(file);
        assertThat(back.getAlgorithm()).isEqualTo(keys.getPrivate().getAlgorithm());
        if (back instanceof ECPrivateKey backEc && keys.getPrivate() instanceof ECPrivateKey original) {
          assertThat(backEc.getS()).isEqualTo(original.getS());
          assertThat(backEc.getParams().getOrder()).isEqualTo(original.getParams().getOrder());
        } else {
          assertThat(back.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        }
      }
    }
  }

  @Test
  @DisplayName("openssl reads the keys written here, the SEC1 EC key included (its curve named inside)")
  void opensslReadsWrittenKeys() throws Exception {
    Openssl.assumePresent();
    Pem.writePrivateKey(dir.resolve("ec.key"), ec.getPrivate(), Pem.KeyFormat.TRADITIONAL);
    Pem.writePrivateKey(dir.resolve("ec8.key"), ec.getPrivate(), Pem.KeyFormat.PKCS8);
    Pem.writePrivateKey(dir.resolve("rsa8.key"), rsa.getPrivate(), Pem.KeyFormat.PKCS8);
    assertThat(Openssl.run(dir, "ec", "-check", "-noout", "-in", "ec.key").ok().output()).contains("EC Key valid.");
    assertThat(Openssl.run(dir, "ec", "-check", "-noout", "-in", "ec8.key").ok().output()).contains("EC Key valid.");
    assertThat(Openssl.run(dir, "rsa", "-check", "-noout", "-in", "rsa8.key").ok().output().trim()).isEqualTo("RSA key ok");
  }

  @Test
  @DisplayName("a bundle keeps its order; a CSR round-trips")
  void bundlesAndRequests() {
    RootCa other = RootCa.generate("other", 2048, Duration.ofDays(1));
    Path bundle = dir.resolve("ca-bundle.crt");
    Pem.writeCertificates(bundle, List.of(root.certificate(), other.certificate()));
    assertThat(Pem.readCertificates(bundle)).containsExactly(root.certificate(), other.certificate());
    var csr = CustomCertificate.request(LeafProfile.document("h.example"), rsa);
    Pem.writeCsr(dir.resolve("r.csr"), csr);
    assertThat(Pem.readCsr(dir.resolve("r.csr"))).isEqualTo(csr);
  }

  @Test
  @DisplayName("a written key is rw------- (also when it replaces a rw-r--r-- file) and no temporary file remains")
  void keyIsOwnerOnly() throws Exception {
    Path key = dir.resolve("registry.key");
    Files.writeString(key, "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Pem.writePrivateKey(key, ec.getPrivate(), Pem.KeyFormat.TRADITIONAL);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    try (Stream<Path> listing = Files.list(dir)) {
      assertThat(listing).containsExactly(key);
    }
  }

  @Test
  @DisplayName("garbage: one line naming the file")
  void garbage() throws Exception {
    Path file = dir.resolve("registry.key");
    Files.writeString(file, "this is not a key\nat all\n");
    assertThatThrownBy(() -> Pem.readPrivateKey(file)).isInstanceOf(PemException.class)
        .hasMessage(file + ": not PEM (no -----BEGIN line)");
    assertThatThrownBy(() -> Pem.parseCertificates("", "tls.crt")).hasMessage("tls.crt: empty (no PEM content)");
    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("missing.crt")))
        .hasMessage(dir.resolve("missing.crt") + ": no such file");
  }

  @Test
  @DisplayName("a certificate where a key is expected, and a key where a certificate is: the error says what was found")
  void wrongKind() {
    String cert = Pem.toPem(root.certificate());
    assertThatThrownBy(() -> Pem.parsePrivateKey(cert, "registry.key"))
        .hasMessage("registry.key: not a PEM private key (found CERTIFICATE)");
    String key = Pem.privateKeyPem(ec.getPrivate(), Pem.KeyFormat.TRADITIONAL);
    assertThatThrownBy(() -> Pem.parseCertificates(key, "registry.crt"))
        .hasMessage("registry.crt: not a PEM certificate (found EC PRIVATE KEY)");
    assertThatThrownBy(() -> Pem.parseCsr(cert, "registry.csr"))
        .hasMessage("registry.csr: not a PEM certificate request (found CERTIFICATE)");
  }

  @Test
  @DisplayName("a truncated or corrupted key fails in one line that quotes none of it")
  void damagedKeysAreNotEchoed() {
    String pem = Pem.privateKeyPem(rsa.getPrivate(), Pem.KeyFormat.TRADITIONAL);
    List<String> body = Arrays.stream(pem.split("\n")).filter(l -> !l.startsWith("-----")).toList();

    String truncated = pem.substring(0, pem.indexOf("-----END"));
    assertThatThrownBy(() -> Pem.parsePrivateKey(truncated, "registry.key"))
        .hasMessage("registry.key: malformed PEM in the RSA PRIVATE KEY block (bad base64 or a missing END line)");

    // valid base64, but the DER inside is cut short
    String corrupt = "-----BEGIN RSA PRIVATE KEY-----\n" + String.join("\n", body.subList(0, body.size() / 2))
        + "\n-----END RSA PRIVATE KEY-----\n";
    assertThatThrownBy(() -> Pem.parsePrivateKey(corrupt, "registry.key"))
        .isInstanceOf(PemException.class)
        .hasMessage("registry.key: the RSA PRIVATE KEY is malformed (not a valid key structure)")
        .satisfies(e -> body.forEach(line -> assertThat(e.getMessage()).doesNotContain(line.substring(0, 16))));
  }

  @Test
  @DisplayName("an encrypted key is refused in one line, PKCS#8 or traditional")
  void encrypted() {
    assertThatThrownBy(() -> Pem.parsePrivateKey(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n", "root.key"))
        .hasMessage("root.key: the private key is encrypted (ENCRYPTED PRIVATE KEY); an unencrypted key is needed");
    assertThatThrownBy(() -> Pem.parsePrivateKey("""
        -----BEGIN RSA PRIVATE KEY-----
        Proc-Type: 4,ENCRYPTED
        DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF

        MIIB
        -----END RSA PRIVATE KEY-----
        """, "root.key"))
        .hasMessage("root.key: the RSA PRIVATE KEY is encrypted (a passphrase-protected key); an unencrypted key is needed");
  }

  @Test
  @DisplayName("a combined file (certificate then key) yields both")
  void combined() {
    String both = Pem.toPem(root.certificate()) + Pem.privateKeyPem(root.privateKey(), Pem.KeyFormat.PKCS8);
    assertThat(Pem.parseCertificates(both, "combined.pem")).containsExactly(root.certificate());
    assertThat(Pem.parsePrivateKey(both, "combined.pem").getEncoded()).isEqualTo(root.privateKey().getEncoded());
  }
}
