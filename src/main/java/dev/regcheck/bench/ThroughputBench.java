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
 * Push and pull throughput of the harness's registry client against skopeo, as the harness uses
 * its client: inside one running JVM (a new client, connection and token for every operation, as
 * each skopeo process has), while skopeo runs as one process per operation. Alternates which tool
 * goes first; every operation moves a fresh random layer of its own (no mount, no cache). Prints
 * the median of each and the ratio. {@code bench/registry-throughput.sh} starts the lab and runs it.
 *
 * <p>Usage: {@code <pairs> <layer MiB> <registry host:port> <work dir> <hosts file> <cert dir>};
 * {@code REGCHECK_BENCH_TOKEN} holds the token. {@code layout <dir> <MiB>} only writes a layout.
 */
public final class ThroughputBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ThroughputBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("layout")) {
      // a layout for the script's single-process measurements; prints its manifest digest
      System.out.println(layout(Path.of(args[1]), Integer.parseInt(args[2]), 0));
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
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (int i = 1; i <= pairs; i++) {
      List<String> order = i % 2 == 1 ? List.of("regcheck", "skopeo") : List.of("skopeo", "regcheck");
      Map<String, String> digests = new LinkedHashMap<>();
      for (String tool : order) {
        digests.put(tool, layout(work.resolve(tool + "-" + i), mib, i * 2L + (tool.equals("skopeo") ? 1 : 0)));
      }
      for (String op : List.of("push", "pull")) {
        for (String tool : order) {
          Path layout = work.resolve(tool + "-" + i);
          Path out = work.resolve("pulled-" + tool + "-" + i);
          String repo = "bench/throughput";
          long start = System.nanoTime();
          if (tool.equals("regcheck")) {
            try (RegistryClient client = RegistryClient.builder().registry(registry)
                .addresses(AddressMap.of(Map.of(host, "127.0.0.1"))).trust(ca)
                .credentials(Credentials.basic("bench", token)).build()) {
              if (op.equals("push")) {
                BenchClient.push(client, layout, "bench", repo + ":" + tool + "-" + i);
              } else {
                BenchClient.pull(client, repo + "@" + digests.get(tool), out);
              }
            }
          } else {
            skopeo(hosts, op.equals("push")
                ? List.of("skopeo", "copy", "--quiet", "--preserve-digests", "--dest-authfile", authFile.toString(),
                    "--dest-cert-dir", certs.toString(), "oci:" + layout + ":bench",
                    "docker://" + registry + "/" + repo + ":" + tool + "-" + i)
                : List.of("skopeo", "copy", "--quiet", "--src-authfile", authFile.toString(), "--src-cert-dir",
                    certs.toString(), "docker://" + registry + "/" + repo + "@" + digests.get(tool), "dir:" + out));
          }
          double s = (System.nanoTime() - start) / 1e9;
          seconds.computeIfAbsent(tool + "-" + op, k -> new ArrayList<>()).add(s);
          System.err.printf("pair %d %s %s %.2f s%n", i, tool, op, s);
          if (op.equals("pull")) {
            delete(out);
            delete(layout);
          }
        }
      }
    }
    System.out.printf("%d pairs, a fresh random %d MiB layer per operation, alternating order; median wall time%n", pairs, mib);
    for (String op : List.of("push", "pull")) {
      double r = median(seconds.get("regcheck-" + op));
      double s = median(seconds.get("skopeo-" + op));
      System.out.printf("  %s: regcheck %.2f s (%.0f MiB/s)  skopeo %.2f s (%.0f MiB/s)  ratio regcheck/skopeo %.2f%n",
          op, r, mib / r, s, mib / s, r / s);
    }
    System.out.println("  (regcheck: in a running JVM, one new client per operation; skopeo: one process per operation)");
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

  /** An OCI layout with one random, uncompressed layer of {@code mib} MiB; returns the manifest digest. */
  static String layout(Path dir, int mib, long seed) throws IOException {
    Path blobs = dir.resolve("blobs/sha256");
    Files.createDirectories(blobs);
    Path tmp = dir.resolve("layer.tmp");
    MessageDigest md = Digests.sha256();
    SplittableRandom random = new SplittableRandom(System.nanoTime() ^ seed);
    byte[] chunk = new byte[1 << 20];
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
    byte[] config = JSON.writeValueAsBytes(Map.of("architecture", "amd64", "os", "linux",
        "rootfs", Map.of("type", "layers", "diff_ids", List.of(layer))));
    String configDigest = Digests.sha256(config);
    Files.write(blobs.resolve(configDigest.substring(7)), config);
    byte[] manifest = JSON.writeValueAsBytes(Map.of("schemaVersion", 2,
        "mediaType", "application/vnd.oci.image.manifest.v1+json",
        "config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json", "digest", configDigest,
            "size", config.length),
        "layers", List.of(Map.of("mediaType", "application/vnd.oci.image.layer.v1.tar", "digest", layer,
            "size", (long) mib << 20))));
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
