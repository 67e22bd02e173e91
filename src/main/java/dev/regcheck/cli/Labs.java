package dev.regcheck.cli;

import dev.regcheck.lab.Fault;
import dev.regcheck.lab.LabSettings;
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

/** What the embedded lab is built from: the sandbox profile's names, and faults by name. */
final class Labs {
  private Labs() {}

  static LabSettings settings(LabProfile p) {
    return new LabSettings(p.cluster().appsDomain(), p.cluster().nodes(), p.nfs().server(), p.nfs().path(),
        p.storage().pvName(), p.storage().capacity(), p.storage().pvcName(), p.registry().namespace(),
        p.identity().user());
  }

  static Set<Fault> faults(List<String> names) {
    Set<Fault> out = EnumSet.noneOf(Fault.class);
    for (String n : names) {
      out.add(Fault.byId(n).orElseThrow(() -> new IllegalArgumentException("--fault: unknown fault '" + n + "'; known: "
          + java.util.Arrays.stream(Fault.values()).map(Fault::id).collect(Collectors.joining(", ")))));
    }
    return out;
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
