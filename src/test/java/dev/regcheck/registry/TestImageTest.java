package dev.regcheck.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import java.io.ByteArrayInputStream;

class TestImageTest {

  @ParameterizedTest
  @EnumSource(TestImage.Format.class)
  @DisplayName("building twice gives the same bytes and digests")
  void deterministic(TestImage.Format format) throws IOException {
    TestImage a = TestImage.build(format);
    TestImage b = TestImage.build(format);

    assertThat(bytes(a.layer())).isEqualTo(bytes(b.layer()));
    assertThat(bytes(a.config())).isEqualTo(bytes(b.config()));
    assertThat(a.manifestBytes()).isEqualTo(b.manifestBytes());
    assertThat(a.digest()).isEqualTo(b.digest()).isEqualTo(Digests.sha256(a.manifestBytes()));
  }

  @Test
  @DisplayName("Docker and OCI forms share layer and config bytes; only media types and the manifest digest differ")
  void formats() throws IOException {
    TestImage docker = TestImage.build(TestImage.Format.DOCKER);
    TestImage oci = TestImage.build(TestImage.Format.OCI);

    assertThat(docker.layer().digest()).isEqualTo(oci.layer().digest());
    assertThat(docker.config().digest()).isEqualTo(oci.config().digest());
    assertThat(docker.digest()).isNotEqualTo(oci.digest());
    assertThat(docker.manifestMediaType()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
    assertThat(oci.manifestMediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");

    for (TestImage image : new TestImage[] {docker, oci}) {
      JsonNode m = Json.MAPPER.readTree(image.manifestBytes());
      assertThat(m.path("schemaVersion").asInt()).isEqualTo(2);
      assertThat(m.path("mediaType").asText()).isEqualTo(image.manifestMediaType());
      assertThat(m.at("/config/mediaType").asText()).isEqualTo(image.config().mediaType());
      assertThat(m.at("/config/digest").asText()).isEqualTo(image.config().digest());
      assertThat(m.at("/config/size").asLong()).isEqualTo(image.config().size());
      assertThat(m.path("layers")).hasSize(1);
      assertThat(m.at("/layers/0/mediaType").asText()).isEqualTo(image.layer().mediaType());
      assertThat(m.at("/layers/0/digest").asText()).isEqualTo(image.layer().digest());
      assertThat(m.at("/layers/0/size").asLong()).isEqualTo(image.layer().size());
    }
    assertThat(docker.config().mediaType()).isEqualTo("application/vnd.docker.container.image.v1+json");
    assertThat(docker.layer().mediaType()).isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
    assertThat(oci.config().mediaType()).isEqualTo("application/vnd.oci.image.config.v1+json");
    assertThat(oci.layer().mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
  }

  @Test
  @DisplayName("the layer: gzip with mtime 0 around a ustar tar of regcheck/ and regcheck/hello.txt, root-owned, mtime 0")
  void layer() throws IOException {
    TestImage image = TestImage.build(TestImage.Format.OCI);
    byte[] gz = bytes(image.layer());
    assertThat(Arrays.copyOfRange(gz, 0, 4)).containsExactly(0x1f, 0x8b, 8, 0); // magic, deflate, no flags (no name)
    assertThat(Arrays.copyOfRange(gz, 4, 8)).containsOnly(0); // MTIME

    byte[] tar = gunzip(gz);
    assertThat(Digests.sha256(tar)).isEqualTo(image.diffId())
        // pinned: the tar is pure Java and must not change unless the image's content does
        .isEqualTo("sha256:e03985ab2414a6dca01e25d1087b0006a7aad7fe4ea97abc32bf581c9b2d81b7");
    assertThat(tar.length % 512).isZero();
    assertThat(Arrays.copyOfRange(tar, tar.length - 1024, tar.length)).containsOnly(0);

    byte[] dir = Arrays.copyOfRange(tar, 0, 512);
    byte[] file = Arrays.copyOfRange(tar, 512, 1024);
    assertThat(field(dir, 0, 100)).isEqualTo("regcheck/");
    assertThat(field(dir, 100, 8)).isEqualTo("0000755");
    assertThat((char) dir[156]).isEqualTo('5');
    assertThat(field(file, 0, 100)).isEqualTo(TestImage.HELLO_PATH);
    assertThat(field(file, 100, 8)).isEqualTo("0000644");
    assertThat((char) file[156]).isEqualTo('0');
    int size = Integer.parseInt(field(file, 124, 12), 8);
    assertThat(new String(tar, 1024, size, StandardCharsets.UTF_8)).isEqualTo(TestImage.HELLO);
    for (byte[] header : new byte[][] {dir, file}) {
      assertThat(field(header, 108, 8)).isEqualTo("0000000"); // uid
      assertThat(field(header, 116, 8)).isEqualTo("0000000"); // gid
      assertThat(field(header, 136, 12)).isEqualTo("00000000000"); // mtime
      assertThat(field(header, 257, 6)).isEqualTo("ustar");
      assertThat(field(header, 263, 2)).isEqualTo("00");
      assertThat(Integer.parseInt(field(header, 148, 8).trim(), 8)).isEqualTo(checksum(header));
    }
  }

  @Test
  @DisplayName("GNU tar lists the layer: regcheck/ (0755) and regcheck/hello.txt (0644), root/root, 1970")
  void tarReadsTheLayer(@TempDir Path dir) throws Exception {
    Optional<Path> tar = onPath("tar");
    assumeTrue(tar.isPresent(), "tar is not installed");
    Path layer = dir.resolve("layer.tar.gz");
    Files.write(layer, bytes(TestImage.build(TestImage.Format.DOCKER).layer()));

    Process p = new ProcessBuilder(tar.get().toString(), "tzvf", layer.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.lines()).hasSize(2);
    assertThat(out.lines().toList().get(0)).startsWith("drwxr-xr-x root/root").contains("1970-01-01").endsWith(" regcheck/");
    assertThat(out.lines().toList().get(1)).startsWith("-rw-r--r-- root/root")
        .contains(" " + TestImage.HELLO.length() + " 1970-01-01").endsWith(" regcheck/hello.txt");
  }

  @Test
  @DisplayName("the config: linux/amd64, diff_id of the tar, Cmd, the regcheck label, created at the epoch")
  void config() throws IOException {
    TestImage image = TestImage.build(TestImage.Format.OCI);
    JsonNode c = Json.MAPPER.readTree(bytes(image.config()));

    assertThat(c.path("architecture").asText()).isEqualTo("amd64");
    assertThat(c.path("os").asText()).isEqualTo("linux");
    assertThat(c.path("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(c.at("/rootfs/type").asText()).isEqualTo("layers");
    assertThat(c.at("/rootfs/diff_ids/0").asText()).isEqualTo(image.diffId());
    assertThat(c.at("/config/Cmd/0").asText()).isEqualTo("/regcheck/hello.txt");
    assertThat(c.at("/config/Labels").get(TestImage.LABEL).asText()).isEqualTo("1");
    assertThat(c.path("history")).hasSize(1);
  }

  @Test
  @DisplayName("the OCI layout holds oci-layout, index.json with the tag, and blobs named by their digests")
  void ociLayout(@TempDir Path dir) throws IOException {
    TestImage image = TestImage.build(TestImage.Format.OCI);
    image.writeOciLayout(dir, "v1");

    assertThat(Json.MAPPER.readTree(dir.resolve("oci-layout").toFile()).path("imageLayoutVersion").asText()).isEqualTo("1.0.0");
    JsonNode index = Json.MAPPER.readTree(dir.resolve("index.json").toFile());
    assertThat(index.at("/manifests/0/digest").asText()).isEqualTo(image.digest());
    assertThat(index.at("/manifests/0/mediaType").asText()).isEqualTo(image.manifestMediaType());
    assertThat(index.at("/manifests/0/size").asLong()).isEqualTo(image.manifestBytes().length);
    assertThat(index.at("/manifests/0/annotations").get("org.opencontainers.image.ref.name").asText()).isEqualTo("v1");
    try (var files = Files.list(dir.resolve("blobs/sha256"))) {
      assertThat(files.toList()).hasSize(3).allSatisfy(f ->
          assertThat(Digests.sha256(Files.readAllBytes(f))).isEqualTo("sha256:" + f.getFileName()));
    }
    assertThatThrownBy(() -> TestImage.build(TestImage.Format.DOCKER).writeOciLayout(dir.resolve("docker"), "v1"))
        .isInstanceOf(IllegalStateException.class);
  }

  static byte[] bytes(Blob blob) throws IOException {
    try (InputStream in = blob.open()) {
      return in.readAllBytes();
    }
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }

  private static int checksum(byte[] header) {
    int sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
    }
    return sum;
  }

  static Optional<Path> onPath(String command) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin" : path).split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
