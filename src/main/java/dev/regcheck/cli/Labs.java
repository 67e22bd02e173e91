package dev.regcheck.cli;

import dev.regcheck.lab.Provider;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.profile.LabProfile;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import io.fabric8.kubernetes.client.Config;
import java.util.Arrays;

/** What the embedded lab is built from: the sandbox profile's names, and faults by name. */
public final class Labs {
  private Labs() {}

  /** Written beside an embedded lab's kubeconfig: the lab's API URL. */
  static final String MARKER = "embedded-lab";

  static void mark(Path work, String apiUrl) throws IOException {
    Files.writeString(work.resolve(MARKER), apiUrl);
  }

  /**
   * Whether a kubeconfig leads to an embedded lab this checkout started: the marker beside it
   * names the very API server the kubeconfig points at. A profile's {@code embedded: true} alone
   * never waives apply mode's consent.
   */
  static boolean isEmbeddedLab(Path kubeconfig) {
    if (kubeconfig == null) {
      return false;
    }
    try {
      Path marker = kubeconfig.toAbsolutePath().getParent().resolve(MARKER);
      if (!Files.isRegularFile(marker) || !Files.isRegularFile(kubeconfig)) {
        return false;
      }
      String server = Config.fromKubeconfig(null, Files.readString(kubeconfig),
          kubeconfig.toString()).getMasterUrl();
      return server != null && server.replaceAll("/+$", "").equals(Files.readString(marker).strip().replaceAll("/+$", ""));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  public static LabSettings settings(LabProfile p) {
    return new LabSettings(p.cluster().appsDomain(), p.cluster().nodes(), p.nfs().server(), p.nfs().path(),
        p.storage().pvName(), p.storage().capacity(), p.storage().pvcName(), p.registry().namespace(),
        p.identity().user());
  }

  static Set<Fault> faults(List<String> names) {
    Set<Fault> out = EnumSet.noneOf(Fault.class);
    for (String n : names) {
      out.add(Fault.byId(n).orElseThrow(() -> new IllegalArgumentException("--fault: unknown fault '" + n + "'; known: "
          + Arrays.stream(Fault.values()).map(Fault::id).collect(Collectors.joining(", ")))));
    }
    return out;
  }

  static final String PROVIDER_HELP = "where the lab's registry, HAProxy and NFS server run: host (this machine's "
      + "Debian packages, as root), containers (a Docker-compatible engine: DOCKER_HOST), auto (host when it can, "
      + "else containers; the default)";

  /** The lab provider a {@code --provider} word names, resolved (auto: host or containers). */
  static Provider provider(String word) throws LabException {
    Provider p = Provider.of(word);
    if (p == null) {
      throw new IllegalArgumentException("--provider: unknown provider '" + word + "'; known: " + Provider.words());
    }
    return p.resolve();
  }

  /** Removes a lab's folder (kubeconfig with its token, registry data, logs). */
  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      System.err.println("regcheck: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
