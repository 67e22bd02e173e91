package dev.regcheck.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against the real CNCF Distribution 2.8.2 ({@code /usr/bin/docker-registry}), started
 * here over TLS on 127.0.0.1 with a throwaway CA, and reached as the OpenShift service name through
 * an {@link AddressMap}: every passing exchange proves the port rewrite, SNI and hostname check.
 * Anonymous access (no auth section). Skipped when the binary is absent.
 */
class DistributionRegistryTest {
  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private static final String REGISTRY = TestPki.SERVICE + ":5000";

  @TempDir
  static Path work;
  private static Process process;
  private static int port;
  private static TestPki pki;

  @BeforeAll
  static void startRegistry() throws Exception {
    assumeTrue(Files.isExecutable(BINARY), "docker-registry is not installed at " + BINARY);
    pki = TestPki.create("regcheck throwaway service CA");
    pki.issue(List.of(TestPki.SERVICE, TestPki.SERVICE_LOCAL)).writePem(work.resolve("tls.crt"), work.resolve("tls.key"));
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = work.resolve("registry.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
          tls:
            certificate: %s
            key: %s
        """.formatted(work.resolve("data"), port, work.resolve("tls.crt"), work.resolve("tls.key")));
    ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("registry.log").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    process = builder.start();
    awaitListening();
  }

  private static void awaitListening() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited " + process.exitValue() + ": " + registryLog());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("docker-registry not listening on " + port + " after 10 s: " + registryLog());
  }

  private static String registryLog() throws IOException {
    return Files.readString(work.resolve("registry.log"));
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy(); // SIGTERM
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static RegistryClient.Builder client() {
    return RegistryClient.builder().registry(REGISTRY)
        .addresses(AddressMap.of(Map.of(REGISTRY, "127.0.0.1:" + port)))
        .trust(List.of(pki.ca())).timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  @ParameterizedTest
  @EnumSource(TestImage.Format.class)
  @DisplayName("the test image pushes, then pulls back verified by tag and by digest; a second push skips present blobs")
  void pushAndPull(TestImage.Format format) throws IOException {
    TestImage image = TestImage.build(format);
    String repo = "regcheck/" + format.name().toLowerCase();
    try (RegistryClient client = client().build()) {
      assertThat(client.ping().status()).isEqualTo(200);
      client.login();

      assertThat(image.push(client, repo, "v1")).isEqualTo(image.digest());

      for (String reference : List.of("v1", image.digest())) {
        TestImage.Pulled pulled = TestImage.pull(client, repo, reference);
        assertThat(pulled.manifest().digest()).isEqualTo(image.digest());
        assertThat(pulled.manifest().mediaType()).isEqualTo(image.manifestMediaType());
        assertThat(pulled.manifest().bytes()).isEqualTo(image.manifestBytes());
        assertThat(pulled.blobs()).extracting(Descriptor::digest)
            .containsExactly(image.config().digest(), image.layer().digest());
        assertThat(pulled.blobBytes()).isEqualTo(image.config().size() + image.layer().size());
      }
      assertThat(client.headManifest(repo, "v1")).get()
          .isEqualTo(new Descriptor(image.manifestMediaType(), image.digest(), image.manifestBytes().length));
      assertThat(client.tags(repo)).containsExactly("v1");
      assertThat(client.pushBlob(repo, image.layer()).alreadyPresent()).isTrue();
    }
  }

  @Test
  @DisplayName("a 20 MiB stream pushes in chunks (7 PATCHes of at most 3 MiB) with the right digest and pulls back identical")
  void chunkedUpload() throws IOException {
    long size = 20L * 1024 * 1024;
    String expected = sha256(new SeededStream(42, size));
    ExchangeLog log = new ExchangeLog();
    try (RegistryClient client = client().chunkSize(3 * 1024 * 1024).exchanges(log).build()) {
      Descriptor pushed = client.pushBlobChunked("regcheck/chunked", new SeededStream(42, size));

      assertThat(pushed.digest()).isEqualTo(expected);
      assertThat(pushed.size()).isEqualTo(size);
      assertThat(log.exchanges()).filteredOn(e -> e.method().equals("PATCH")).hasSize(7)
          .allSatisfy(e -> assertThat(e.status()).isEqualTo(202));

      SameAsSeeded sink = new SameAsSeeded(42);
      assertThat(client.pullBlob("regcheck/chunked", expected, sink)).isEqualTo(size);
      assertThat(sink.offset).isEqualTo(size);
    }
  }

  @Test
  @DisplayName("a blob present in another repository mounts (true); an absent one does not (false)")
  void crossRepositoryMount() throws IOException {
    TestImage image = TestImage.build(TestImage.Format.OCI);
    try (RegistryClient client = client().build()) {
      image.push(client, "regcheck/mount-source", "v1");

      assertThat(client.mountBlob("regcheck/mount-target", image.layer().digest(), "regcheck/mount-source")).isTrue();
      assertThat(client.pullBlob("regcheck/mount-target", image.layer().digest(), OutputStream.nullOutputStream()))
          .isEqualTo(image.layer().size());
      String absent = Digests.sha256("never pushed".getBytes(StandardCharsets.UTF_8));
      assertThat(client.mountBlob("regcheck/mount-target", absent, "regcheck/mount-source")).isFalse();
    }
  }

  @Test
  @DisplayName("after DELETE by digest (202), GET by digest is MANIFEST_UNKNOWN; delete by tag is refused client-side")
  void deleteByDigest() throws IOException {
    TestImage image = TestImage.build(TestImage.Format.DOCKER);
    try (RegistryClient client = client().build()) {
      image.push(client, "regcheck/delete", "v1");

      client.deleteManifest("regcheck/delete", image.digest());

      assertThatThrownBy(() -> client.getManifest("regcheck/delete", image.digest()))
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo("MANIFEST_UNKNOWN");
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).startsWith("GET /v2/regcheck/delete/manifests/" + image.digest() + ": 404 MANIFEST_UNKNOWN ");
          });
      assertThat(client.headManifest("regcheck/delete", image.digest())).isEmpty();
      assertThatThrownBy(() -> client.deleteManifest("regcheck/delete", "v1")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("the catalog, read one repository per page, lists the repositories pushed")
  void catalog() throws IOException {
    TestImage image = TestImage.build(TestImage.Format.OCI);
    try (RegistryClient client = client().build()) {
      image.push(client, "regcheck/catalog-a", "v1");
      image.push(client, "regcheck/catalog-b", "v1");

      Catalog catalog = client.catalog(1);

      assertThat(catalog.repositories()).contains("regcheck/catalog-a", "regcheck/catalog-b").doesNotHaveDuplicates();
      assertThat(catalog.pages()).isGreaterThanOrEqualTo(catalog.repositories().size());
    }
  }

  @Test
  @DisplayName("a client trusting another CA fails with CONNECTION: the certificate does not chain to the given CA")
  void untrustedCertificate() throws Exception {
    TestPki other = TestPki.create("some other CA");
    try (RegistryClient client = client().trust(List.of(other.ca())).build()) {
      assertThatThrownBy(client::ping).isInstanceOfSatisfying(RegistryException.class, e -> {
        assertThat(e.code()).isEqualTo(RegistryException.CONNECTION);
        assertThat(e.getMessage()).startsWith("GET /v2/: CONNECTION " + REGISTRY + " (connecting to 127.0.0.1:" + port
            + "): the server's certificate does not chain to the given CA (it is CN=" + TestPki.SERVICE)
            .doesNotContain("\n");
      });
    }
  }

  @Test
  @DisplayName("a logical name the certificate does not cover fails with CONNECTION: no subject alternative name matches")
  void hostnameMismatch() {
    try (RegistryClient client = RegistryClient.builder().registry("wrong.example:5000")
        .addresses(AddressMap.of(Map.of("wrong.example:5000", "127.0.0.1:" + port))).trust(List.of(pki.ca())).build()) {
      assertThatThrownBy(client::ping).isInstanceOfSatisfying(RegistryException.class, e -> {
        assertThat(e.code()).isEqualTo(RegistryException.CONNECTION);
        assertThat(e.getMessage()).isEqualTo("GET /v2/: CONNECTION wrong.example:5000 (connecting to 127.0.0.1:" + port
            + "): no subject alternative name matches wrong.example (the certificate names ["
            + TestPki.SERVICE + ", " + TestPki.SERVICE_LOCAL + "])");
      });
    }
  }

  @Test
  @DisplayName("an image is copied byte for byte (same digest), through a manifest list to its linux/amd64 entry")
  void copyKeepsTheDigest(@TempDir Path temp) throws Exception {
    TestImage image = TestImage.build(TestImage.Format.OCI);
    try (RegistryClient client = client().build()) {
      image.push(client, "source/hello", "v1");
      // a source that is an index, as docker.io/library/hello-world is
      byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
          + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + image.digest() + "\",\"size\":"
          + image.manifestBytes().length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}")
          .getBytes(StandardCharsets.UTF_8);
      client.putManifest("source/hello", "multi", MediaTypes.OCI_INDEX, index);

      ImageCopy.Copied copied = ImageCopy.copy(client, "source/hello", "multi", client, "target/hello", "copied", temp);

      assertThat(copied.digest()).isEqualTo(image.digest());
      assertThat(copied.blobsCopied() + copied.blobsPresent()).isEqualTo(2);
      assertThat(TestImage.pull(client, "target/hello", "copied").manifest().bytes()).isEqualTo(image.manifestBytes());
      assertThat(Files.list(temp)).as("temporary blob files are removed").isEmpty();
    }
    assertThat(ImageCopy.Reference.parse("docker.io/hello-world"))
        .isEqualTo(new ImageCopy.Reference("registry-1.docker.io:443", "library/hello-world", "latest"));
    assertThat(ImageCopy.Reference.parse("quay.io:8443/ns/img@sha256:" + "a".repeat(64)))
        .isEqualTo(new ImageCopy.Reference("quay.io:8443", "ns/img", "sha256:" + "a".repeat(64)));
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest md = Digests.sha256();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) != -1; ) {
      md.update(buffer, 0, n);
    }
    return Digests.format(md);
  }

  /** {@code size} pseudo-random bytes from a seed, generated as read (nothing held in memory). */
  private static final class SeededStream extends InputStream {
    private final Random random;
    private long remaining;

    SeededStream(long seed, long size) {
      this.random = new Random(seed);
      this.remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      remaining -= n;
      return n;
    }
  }

  /** A sink that checks every byte against the seeded sequence, so "identical" is byte for byte. */
  private static final class SameAsSeeded extends OutputStream {
    private final Random random;
    private long offset;

    SameAsSeeded(long seed) {
      this.random = new Random(seed);
    }

    @Override
    public void write(int b) throws IOException {
      if ((byte) b != (byte) random.nextInt(256)) {
        throw new IOException("byte " + offset + " differs from the pushed stream");
      }
      offset++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len; i++) {
        write(b[off + i]);
      }
    }
  }
}
