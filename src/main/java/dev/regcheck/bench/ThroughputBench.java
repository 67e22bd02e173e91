package dev.regcheck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.registry.AddressMap;
import dev.regcheck.registry.Credentials;
import dev.regcheck.registry.Digests;
import dev.regcheck.registry.RegistryClient;
import dev.regcheck.tls.Certificates;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Comparator;

/**
 * Push and pull throughput of the harness's registry client against skopeo and against curl, as the
 * harness uses its client: inside one running JVM (a new client, connection and token for every
 * operation, as each skopeo process has), while skopeo runs as one process per operation. Two shapes:
 * one layer of {@code <layer MiB>}, and 8 layers of 16 MiB (skopeo moves layers side by side). curl is
 * the limit, on the one-layer shape only: the fewest requests any client can make, a token from the
 * realm of the registry's challenge, then POST an upload and PUT the whole blob with {@code ?digest=}
 * (push) or GET the blob into a file (pull), with the same token, service CA and address. The order of
 * the tools rotates from pair to pair; every operation moves fresh random layers of its own (no mount, no
 * cache) and starts after a {@code sync} (untimed), with no dirty pages of an earlier operation to write back. Prints the medians, MiB/s and ratios, and one line {@code ratios key=value ...} for the script's
 * RESULT. {@code bench/registry-throughput.sh} starts the lab and runs it.
 *
 * <p>Usage: {@code <pairs> <layer MiB> <registry host:port> <work dir> <hosts file> <cert dir>};
 * {@code REGCHECK_BENCH_TOKEN} holds the token. {@code layout <dir> <MiB>} only writes a layout.
 */
public final class ThroughputBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPO = "bench/throughput";

  /** An image's shape: how many layers of how many MiB. */
  record Shape(String name, int layers, int mib) {
    long bytes() {
      return (long) layers * mib << 20;
    }
  }

  private ThroughputBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("layout")) {
      // a layout for the script's single-process measurements; prints its manifest digest
      System.out.println(layout(Path.of(args[1]), 1, Integer.parseInt(args[2]), 0));
      return;
    }
    if (args.length != 6) {
      System.err.println("usage: <pairs> <layer MiB> <registry host:port> <work dir> <hosts file> <cert dir>");
      System.exit(2);
    }
    int pairs = Integer.parseInt(args[0]);
    int mib = Integer.parseInt(args[1]);
    String registry = args[2];
    Path work = Path.of(args[3]);
    Path hosts = Path.of(args[4]);
    Path certs = Path.of(args[5]);
    String token = System.getenv("REGCHECK_BENCH_TOKEN");
    String host = registry.substring(0, registry.lastIndexOf(':'));
    var ca = Certificates.parsePem(Files.readString(certs.resolve("ca.crt")));
    // skopeo reads the credentials from an auth file (owner-only), never from its command line
    Path authFile = work.resolve("auth.json");
    Files.writeString(authFile, "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + Base64.getEncoder()
        .encodeToString(("bench:" + token).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    Files.setPosixFilePermissions(authFile, PosixFilePermissions.fromString("rw-------"));
    CurlClient curl = new CurlClient(registry, certs.resolve("ca.crt"), work, token);
    List<Shape> shapes = List.of(new Shape("1 x " + mib + " MiB", 1, mib), new Shape("8 x 16 MiB", 8, 16));
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    List<Double> hashing = new ArrayList<>();
    for (int i = 1; i <= pairs; i++) {
      for (Shape shape : shapes) {
        List<String> tools = new ArrayList<>(shape.layers() == 1 ? List.of("regcheck", "skopeo", "curl")
            : List.of("regcheck", "skopeo"));
        Collections.rotate(tools, i);
        Map<String, String> digests = new LinkedHashMap<>();
        for (String tool : tools) {
          digests.put(tool, layout(work.resolve(tool + "-" + i), shape.layers(), shape.mib(),
              i * 8L + tools.indexOf(tool)));
        }
        for (String op : List.of("push", "pull")) {
          for (String tool : tools) {
            Path layout = work.resolve(tool + "-" + i);
            Path out = work.resolve("pulled-" + tool + "-" + i);
            // every operation starts with nothing left to write back (the layouts just made, the last push's
            // blobs), so no tool pays for another's dirty pages
            sync();
            long start = System.nanoTime();
            switch (tool) {
              case "regcheck" -> {
                try (RegistryClient client = RegistryClient.builder().registry(registry)
                    .addresses(AddressMap.of(Map.of(host, "127.0.0.1"))).trust(ca)
                    .credentials(Credentials.basic("bench", token)).build()) {
                  if (op.equals("push")) {
                    BenchClient.push(client, layout, "bench", REPO + ":" + tool + "-" + i);
                  } else {
                    BenchClient.pull(client, REPO + "@" + digests.get(tool), out);
                  }
                }
              }
              case "skopeo" -> skopeo(hosts, op.equals("push")
                  ? List.of("skopeo", "copy", "--quiet", "--preserve-digests", "--dest-authfile", authFile.toString(),
                      "--dest-cert-dir", certs.toString(), "oci:" + layout + ":bench",
                      "docker://" + registry + "/" + REPO + ":" + tool + "-" + i)
                  : List.of("skopeo", "copy", "--quiet", "--src-authfile", authFile.toString(), "--src-cert-dir",
                      certs.toString(), "docker://" + registry + "/" + REPO + "@" + digests.get(tool), "dir:" + out));
              default -> {
                String layer = layerDigest(layout);
                if (op.equals("push")) {
                  curl.push(REPO, layer, blobPath(layout, layer));
                } else {
                  Files.createDirectories(out);
                  curl.pull(REPO, layer, out.resolve(layer.substring(7)));
                }
              }
            }
            double s = (System.nanoTime() - start) / 1e9;
            seconds.computeIfAbsent(shape.name() + " " + tool + " " + op, k -> new ArrayList<>()).add(s);
            System.err.printf("pair %d %s %s %s %.2f s%n", i, shape.name(), tool, op, s);
            if (op.equals("pull")) {
              if (tool.equals("curl")) {
                // how long hashing the same bytes takes (the part of a verified pull curl does not do)
                long h = System.nanoTime();
                sha256sum(out.resolve(layerDigest(layout).substring(7)));
                hashing.add((System.nanoTime() - h) / 1e9);
              }
              delete(out);
              delete(layout);
            }
          }
        }
      }
    }
    System.out.printf("%d pairs per shape, fresh random layers per operation, tools in rotating order; median wall time%n", pairs);
    System.out.printf("  %-12s %-5s %18s %18s %18s %9s %9s%n", "shape", "op", "regcheck", "skopeo", "curl (limit)",
        "/skopeo", "/curl");
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (Shape shape : shapes) {
      for (String op : List.of("push", "pull")) {
        double r = median(seconds.get(shape.name() + " regcheck " + op));
        double s = median(seconds.get(shape.name() + " skopeo " + op));
        List<Double> c = seconds.get(shape.name() + " curl " + op);
        double mibs = shape.bytes() / (1024.0 * 1024.0);
        System.out.printf("  %-12s %-5s %8.2f s %4.0f MiB/s %8.2f s %4.0f MiB/s %18s %9.2f %9s%n", shape.name(), op,
            r, mibs / r, s, mibs / s,
            c == null ? "-" : String.format("%8.2f s %4.0f MiB/s", median(c), mibs / median(c)), r / s,
            c == null ? "-" : String.format("%.2f", r / median(c)));
        String key = op + (shape.layers() == 1 ? "" : "_layers");
        ratios.put(key + "_ratio", r / s);
        if (c != null) {
          ratios.put(op + "_limit_ratio", r / median(c));
        }
      }
    }
    double h = median(hashing);
    System.out.printf("  sha256sum over a pulled %d MiB layer: %.2f s (%.0f MiB/s), the hashing a verified pull adds%n",
        mib, h, mib / h);
    System.out.println("  (regcheck: in a running JVM, one new client per operation; skopeo and curl: processes per operation)");
    StringBuilder line = new StringBuilder("ratios");
    ratios.forEach((k, v) -> line.append(' ').append(k).append('=').append(String.format("%.2f", v)));
    line.append(String.format(" sha256sum_s=%.2f", h));
    System.out.println(line);
  }

  private static String layerDigest(Path layout) throws IOException {
    String index = Files.readString(layout.resolve("index.json"));
    String manifest = JSON.readTree(index).path("manifests").path(0).path("digest").asText();
    return JSON.readTree(blobPath(layout, manifest).toFile()).path("layers").path(0).path("digest").asText();
  }

  private static Path blobPath(Path layout, String digest) {
    return layout.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static void sync() throws IOException, InterruptedException {
    if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) {
      throw new IOException("sync failed");
    }
  }

  private static void sha256sum(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IOException("sha256sum failed");
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** skopeo under unshare -m: the service's name from a private hosts file, caches on a private tmpfs. */
  private static void skopeo(Path hosts, List<String> argv) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
        "set -e; mount --bind \"$1\" /etc/hosts; if [ -d /var/lib/containers ]; then "
            + "mount -t tmpfs tmpfs /var/lib/containers; else mount -t tmpfs tmpfs /var/lib; fi; shift; exec \"$@\"",
        "sh", hosts.toString()));
    command.addAll(argv);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("skopeo failed: " + out);
    }
  }

  /** An OCI layout with {@code layers} random, uncompressed layers of {@code mib} MiB; returns the manifest digest. */
  static String layout(Path dir, int layers, int mib, long seed) throws IOException {
    Path blobs = dir.resolve("blobs/sha256");
    Files.createDirectories(blobs);
    SplittableRandom random = new SplittableRandom(System.nanoTime() ^ seed);
    byte[] chunk = new byte[1 << 20];
    List<String> diffIds = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      Path tmp = dir.resolve("layer.tmp");
      MessageDigest md = Digests.sha256();
      try (FileChannel channel = FileChannel.open(tmp,
              StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20)) {
        for (int m = 0; m < mib; m++) {
          for (int i = 0; i < chunk.length; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8; b++) {
              chunk[i + b] = (byte) (v >>> (b * 8));
            }
          }
          md.update(chunk);
          out.write(chunk);
        }
        out.flush();
        // on disk before anything is timed: no write-back competes with the measured transfer
        channel.force(true);
      }
      String layer = Digests.format(md);
      Files.move(tmp, blobs.resolve(layer.substring(7)));
      diffIds.add(layer);
    }
    byte[] config = JSON.writeValueAsBytes(Map.of("architecture", "amd64", "os", "linux",
        "rootfs", Map.of("type", "layers", "diff_ids", diffIds)));
    String configDigest = Digests.sha256(config);
    Files.write(blobs.resolve(configDigest.substring(7)), config);
    byte[] manifest = JSON.writeValueAsBytes(Map.of("schemaVersion", 2,
        "mediaType", "application/vnd.oci.image.manifest.v1+json",
        "config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json", "digest", configDigest,
            "size", config.length),
        "layers", diffIds.stream().map(layer -> Map.of("mediaType", "application/vnd.oci.image.layer.v1.tar",
            "digest", layer, "size", (long) mib << 20)).toList()));
    String manifestDigest = Digests.sha256(manifest);
    Files.write(blobs.resolve(manifestDigest.substring(7)), manifest);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests",
        List.of(Map.of("mediaType", "application/vnd.oci.image.manifest.v1+json", "digest", manifestDigest,
            "size", manifest.length, "annotations", Map.of("org.opencontainers.image.ref.name", "bench"))))));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    return manifestDigest;
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
