package dev.regcheck.testlab;

import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.Provider;
import dev.regcheck.lab.containers.ContainerEngine;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import dev.regcheck.lab.LabDriver;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.faults.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Labs a test starts itself (each with its own faults or settings), stopped when the test ends:
 * every lab closed, none of its processes left running, its directory removed.
 */
public final class TestLabs implements AutoCloseable {
  private final String owner;
  private final Provider provider;
  private final List<EmbeddedLab> labs = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  /** With the containers provider: the engine's dangling images before the first lab (a build leaves none). */
  private List<String> danglingBefore;

  TestLabs(String owner, Provider provider) {
    this.owner = owner;
    this.provider = provider;
  }

  /** A lab of the sandbox profile (as {@code regcheck demo} builds it) with these faults. */
  public EmbeddedLab start(Fault... faults) throws LabException {
    Set<Fault> set = faults.length == 0 ? EnumSet.noneOf(Fault.class) : EnumSet.of(faults[0], faults);
    return start(LabDriver.SETTINGS, set);
  }

  public synchronized EmbeddedLab start(LabSettings settings, Set<Fault> faults) throws LabException {
    if (provider == Provider.CONTAINERS) {
      Optional<String> none = ContainerEngine.unavailableReason();
      Assumptions.assumeTrue(none.isEmpty(), () -> "containers provider: " + none.orElse(""));
      if (danglingBefore == null) {
        danglingBefore = ContainerEngine.danglingImages();
      }
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("regcheck-lab-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dirs.add(dir);
    long t0 = System.nanoTime();
    EmbeddedLab lab = EmbeddedLab.start(settings, faults, dir.resolve("lab"), provider);
    System.out.printf("%s: %s lab start %s: %d ms%n", owner, provider.word(), faults,
        (System.nanoTime() - t0) / 1_000_000);
    labs.add(lab);
    return lab;
  }

  /** Stops every lab; fails naming any process that is still running afterwards. */
  @Override
  public synchronized void close() {
    List<Long> pids = new ArrayList<>();
    RuntimeException failure = null;
    List<String> namespaces = new ArrayList<>();
    for (EmbeddedLab lab : labs) {
      pids.addAll(lab.childPids());
      lab.nfsNamespace().ifPresent(namespaces::add);
      try {
        lab.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    labs.clear();
    List<String> alive = pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .map(pid -> pid + " " + ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("?")).toList();
    List<String> engineLeft = new ArrayList<>();
    if (provider == Provider.CONTAINERS) {
      dirs.forEach(dir -> engineLeft.addAll(ContainerEngine.leftovers(dir.resolve("lab").toAbsolutePath().toString())));
      if (danglingBefore != null) {
        ContainerEngine.danglingImages().stream().filter(id -> !danglingBefore.contains(id))
            .forEach(id -> engineLeft.add("dangling image " + id));
      }
    }
    for (Path dir : dirs) {
      delete(dir);
    }
    dirs.clear();
    if (failure != null) {
      throw failure;
    }
    if (!engineLeft.isEmpty()) {
      throw new AssertionError(owner + ": the engine still holds the lab's " + engineLeft);
    }
    if (!alive.isEmpty()) {
      throw new AssertionError(owner + ": processes still running after the lab stopped: " + alive);
    }
    List<String> left = namespaces.stream().filter(n -> Files.exists(Path.of("/run/netns", n))).toList();
    if (!left.isEmpty()) {
      throw new AssertionError(owner + ": network namespaces left after the lab stopped: " + left);
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a file a process still writes; the temp directory is the OS's to clean
        }
      });
    } catch (IOException e) {
      // as above
    }
  }
}
