package dev.regcheck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.registry.AddressMap;
import dev.regcheck.registry.Blob;
import dev.regcheck.registry.Credentials;
import dev.regcheck.registry.Manifest;
import dev.regcheck.registry.RegistryClient;
import dev.regcheck.tls.Certificates;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry client as a one-shot process, for the push/pull benchmark against skopeo
 * ({@code bench/registry-throughput.sh}): pushes an OCI image layout or pulls an image to a
 * directory, like {@code skopeo copy oci:… docker://…} and {@code skopeo copy docker://… dir:…},
 * and prints one line: {@code <op> <millis in process> ms, peak heap <MiB> MiB}.
 *
 * <p>Usage: {@code push <layout dir> <tag> <registry host:port> <repo>:<tag>} or
 * {@code pull <registry host:port> <repo>@<digest> <out dir>}; the token comes from
 * {@code REGCHECK_BENCH_TOKEN}, the CA bundle from {@code REGCHECK_BENCH_CA} (a PEM file), and
 * {@code REGCHECK_BENCH_ADDRESS} (an IP) is where the registry's host name points.
 */
public final class BenchClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchClient() {}

  public static void main(String[] args) throws Exception {
    boolean push = args.length == 5 && "push".equals(args[0]);
    boolean pull = args.length == 4 && "pull".equals(args[0]);
    if (!push && !pull) {
      usage();
    }
    String token = System.getenv("REGCHECK_BENCH_TOKEN");
    String caFile = System.getenv("REGCHECK_BENCH_CA");
    String address = System.getenv("REGCHECK_BENCH_ADDRESS");
    if (token == null || caFile == null || address == null) {
      System.err.println("set REGCHECK_BENCH_TOKEN, REGCHECK_BENCH_CA and REGCHECK_BENCH_ADDRESS");
      System.exit(2);
    }
    String registry = "push".equals(args[0]) ? args[3] : args[1];
    String host = registry.substring(0, registry.lastIndexOf(':'));
    long start = System.nanoTime();
    try (RegistryClient client = RegistryClient.builder().registry(registry)
        .addresses(AddressMap.of(Map.of(host, address)))
        .trust(Certificates.parsePem(Files.readString(Path.of(caFile))))
        .credentials(Credentials.basic("bench", token)).build()) {
      switch (args[0]) {
        case "push" -> push(client, Path.of(args[1]), args[2], args[4]);
        case "pull" -> pull(client, args[2], Path.of(args[3]));
        default -> usage();
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("%s %d ms, peak heap %.1f MiB%n", args[0], millis, peakHeapMiB());
  }

  private static void usage() {
    System.err.println("usage: push <layout dir> <tag> <registry> <repo>:<tag> | pull <registry> <repo>@<digest> <out dir>");
    System.exit(2);
  }

  /** Pushes the layout's image for {@code tag}: blobs (digests from the layout), then the manifest. */
  static void push(RegistryClient client, Path layout, String tag, String target) throws IOException {
    String repo = target.substring(0, target.lastIndexOf(':'));
    String targetTag = target.substring(target.lastIndexOf(':') + 1);
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    JsonNode entry = null;
    for (JsonNode m : index.path("manifests")) {
      if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        entry = m;
      }
    }
    if (entry == null) {
      throw new IOException("no manifest tagged " + tag + " in " + layout);
    }
    byte[] manifest = Files.readAllBytes(blobPath(layout, entry.path("digest").asText()));
    JsonNode m = JSON.readTree(manifest);
    List<Blob> blobs = new ArrayList<>();
    blobs.add(known(layout, m.path("config")));
    m.path("layers").forEach(layer -> blobs.add(known(layout, layer)));
    client.pushBlobs(repo, blobs, RegistryClient.PARALLEL_BLOBS);
    client.putManifest(repo, targetTag, entry.path("mediaType").asText(), manifest);
  }

  /** Pulls manifest and blobs into {@code out} (one file per digest), every byte verified. */
  static void pull(RegistryClient client, String reference, Path out) throws IOException {
    String repo = reference.substring(0, reference.indexOf('@'));
    String digest = reference.substring(reference.indexOf('@') + 1);
    Files.createDirectories(out);
    Manifest manifest = client.getManifest(repo, digest);
    Files.write(out.resolve("manifest.json"), manifest.bytes());
    JsonNode m = JSON.readTree(manifest.bytes());
    List<String> digests = new ArrayList<>();
    digests.add(m.path("config").path("digest").asText());
    m.path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
    client.pullBlobs(repo, digests, RegistryClient.PARALLEL_BLOBS,
        blob -> new BufferedOutputStream(Files.newOutputStream(out.resolve(blob.substring(7))), 1 << 16));
  }

  private static Path blobPath(Path layout, String digest) {
    return layout.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  /** A layout blob whose digest and size the layout's manifest states (as skopeo takes them). */
  private static Blob known(Path layout, JsonNode descriptor) {
    String digest = descriptor.path("digest").asText();
    long size = descriptor.path("size").asLong();
    String mediaType = descriptor.path("mediaType").asText();
    Path file = blobPath(layout, digest);
    return new Blob() {
      @Override
      public String digest() {
        return digest;
      }

      @Override
      public long size() {
        return size;
      }

      @Override
      public String mediaType() {
        return mediaType;
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }
    };
  }

  /** The sum of the heap pools' peak usage since the JVM started. */
  static double peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1024.0 * 1024.0);
  }
}
