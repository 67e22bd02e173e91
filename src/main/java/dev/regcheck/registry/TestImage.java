package dev.regcheck.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The harness's own test image, built in memory in milliseconds and byte-for-byte the same every
 * time: one gzipped ustar layer ({@code regcheck/} and {@code regcheck/hello.txt}, root-owned,
 * mtime 0), an image config (linux/amd64, label {@value #LABEL}=1, created at the epoch) and a
 * manifest in Docker schema 2 or OCI form. The two forms share layer and config bytes; only the
 * media types, and so the manifest digests, differ.
 *
 * @param diffId sha256 of the uncompressed layer tar (the config's {@code rootfs.diff_ids[0]})
 * @param digest the manifest's digest
 */
public record TestImage(Format format, Blob layer, Blob config, String diffId, byte[] manifestBytes,
    String manifestMediaType, String digest) {

  /** The label every test image's config carries, so a run can recognise its own images. */
  public static final String LABEL = "dev.regcheck.test-image";
  static final String HELLO_PATH = "regcheck/hello.txt";
  static final String HELLO =
      "Hello from regcheck, the conformance harness for the OpenShift internal image registry.\n";
  private static final String EPOCH = "1970-01-01T00:00:00Z";

  /** Manifest flavour, with the media types it implies. */
  public enum Format {
    DOCKER(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_CONFIG, MediaTypes.DOCKER_LAYER_GZIP),
    OCI(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, MediaTypes.OCI_LAYER_GZIP);

    final String manifestType;
    final String configType;
    final String layerType;

    Format(String manifestType, String configType, String layerType) {
      this.manifestType = manifestType;
      this.configType = configType;
      this.layerType = layerType;
    }
  }

  /**
   * What {@link #pull} fetched and verified.
   *
   * @param blobs config first, then the layers, each verified against its digest and size
   * @param blobBytes the blobs' bytes in total
   */
  public record Pulled(Manifest manifest, List<Descriptor> blobs, long blobBytes) {
    public Pulled {
      blobs = List.copyOf(blobs);
    }
  }

  public TestImage {
    manifestBytes = manifestBytes.clone();
  }

  @Override
  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }

  public static TestImage build(Format format) {
    return build(format, "1");
  }

  /**
   * The test image whose config carries {@code run} as the value of label {@value #LABEL}: the
   * same layer, but a digest of the run's own, so that no other run or user shares its Image.
   */
  public static TestImage build(Format format, String run) {
    byte[] tar = Ustar.archive(List.of(
        new Ustar.Entry("regcheck/", 0755, null),
        new Ustar.Entry(HELLO_PATH, 0644, HELLO.getBytes(StandardCharsets.UTF_8))));
    String diffId = Digests.sha256(tar);
    Blob layer = Blob.ofBytes(format.layerType, gzip(tar));
    Blob config = Blob.ofBytes(format.configType, json(config(diffId, run)));

    ObjectNode manifest = Json.MAPPER.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", format.manifestType);
    manifest.set("config", descriptor(config));
    manifest.putArray("layers").add(descriptor(layer));
    byte[] manifestBytes = json(manifest);
    return new TestImage(format, layer, config, diffId, manifestBytes, format.manifestType, Digests.sha256(manifestBytes));
  }

  private static ObjectNode config(String diffId, String run) {
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("created", EPOCH);
    ObjectNode runtime = config.putObject("config");
    runtime.putArray("Cmd").add("/" + HELLO_PATH);
    runtime.putObject("Labels").put(LABEL, run);
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffId);
    config.putArray("history").addObject().put("created", EPOCH)
        .put("created_by", "regcheck TestImage: ADD " + HELLO_PATH);
    return config;
  }

  private static ObjectNode descriptor(Blob blob) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    d.put("mediaType", blob.mediaType());
    d.put("digest", blob.digest());
    d.put("size", blob.size());
    return d;
  }

  /** Gzip with the JDK's fixed header (mtime 0, no file name), so the bytes are reproducible. */
  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return out.toByteArray();
  }

  private static byte[] json(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pushes layer, config and manifest (as {@code tag}); returns the manifest digest. */
  public String push(RegistryClient client, String repo, String tag) throws IOException {
    client.pushBlob(repo, layer);
    client.pushBlob(repo, config);
    return client.putManifest(repo, tag, manifestMediaType, manifestBytes);
  }

  /**
   * Pulls any single-platform image: the manifest and every blob it names, each verified against
   * its digest (by the client) and its size. Blob content is counted and discarded.
   */
  public static Pulled pull(RegistryClient client, String repo, String reference) throws IOException {
    Manifest manifest = client.getManifest(repo, reference);
    String target = "/v2/" + repo + "/manifests/" + reference;
    if (MediaTypes.isIndex(manifest.mediaType())) {
      throw RegistryException.protocol("GET", target, 200,
          manifest.mediaType() + " is an index; pull one of its manifests by digest");
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(manifest.bytes());
    } catch (IOException e) {
      throw RegistryException.protocol("GET", target, 200, "the manifest is not JSON");
    }
    List<JsonNode> descriptors = new ArrayList<>();
    descriptors.add(json.path("config"));
    json.path("layers").forEach(descriptors::add);
    List<Descriptor> blobs = new ArrayList<>();
    long total = 0;
    for (JsonNode d : descriptors) {
      String digest = d.path("digest").asText("");
      if (!Digests.isDigest(digest)) {
        throw RegistryException.protocol("GET", target, 200, "a descriptor without a valid digest: " + d);
      }
      long size = client.pullBlob(repo, digest, OutputStream.nullOutputStream());
      if (size != d.path("size").asLong(-1)) {
        throw RegistryException.protocol("GET", "/v2/" + repo + "/blobs/" + digest, 200,
            "the blob has " + size + " bytes, the manifest says " + d.path("size"));
      }
      blobs.add(new Descriptor(d.path("mediaType").asText(""), digest, size));
      total += size;
    }
    return new Pulled(manifest, blobs, total);
  }

  /**
   * Writes this image as an OCI image layout ({@code oci-layout}, {@code index.json} naming it
   * {@code tag}, {@code blobs/sha256/…}), so {@code skopeo copy oci:<dir>:<tag> docker://…} pushes
   * the very same manifest digest.
   *
   * @throws IllegalStateException for the Docker form: skopeo (1.9) finds only OCI manifests in a
   *     layout's index, so it would not see the image
   */
  public void writeOciLayout(Path dir, String tag) throws IOException {
    if (format != Format.OCI) {
      throw new IllegalStateException("an OCI layout holds the OCI form only; build(Format.OCI)");
    }
    Path blobs = dir.resolve("blobs").resolve("sha256");
    Files.createDirectories(blobs);
    for (Blob blob : List.of(layer, config)) {
      try (InputStream in = blob.open()) {
        Files.copy(in, blobs.resolve(hex(blob.digest())), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.write(blobs.resolve(hex(digest)), manifestBytes);
    Files.write(dir.resolve("oci-layout"), json(Json.MAPPER.createObjectNode().put("imageLayoutVersion", "1.0.0")));
    ObjectNode index = Json.MAPPER.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    ObjectNode entry = manifests.addObject();
    entry.put("mediaType", manifestMediaType);
    entry.put("digest", digest);
    entry.put("size", manifestBytes.length);
    entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    Files.write(dir.resolve("index.json"), json(index));
  }

  private static String hex(String digest) {
    return digest.substring(digest.indexOf(':') + 1);
  }

  @Override
  public String toString() {
    return "TestImage[" + format + " " + digest + "]";
  }
}
