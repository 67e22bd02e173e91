package dev.regcheck.cli;

import dev.regcheck.catalog.Lang;
import dev.regcheck.run.ClassReport;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Many labs in one go: each member is a regcheck command ({@code demo …} for a lab of a class,
 * {@code run --lab …} for a cluster of a fleet) run in a JVM of its own (a run's Allure lifecycle and
 * wait watcher are per process), at most {@code parallel} at once, its report in
 * {@code <class>/labs/<name>/} and its console in {@code labs/<name>/console.txt}; then the class
 * report over all of them. The peak memory of each member's process tree (its JVM, and for a lab
 * the registries, router and NFS daemons) is sampled every 200 ms.
 */
final class Fleet {
  /** One lab of the class: its name, its faults (for the report) and the regcheck arguments that check it. */
  record Member(String name, List<String> faults, List<String> args) {}

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());
  private static final long SAMPLE_MS = 200;
  private static final long STOP_GRACE_S = 30;

  private final Set<Process> running = ConcurrentHashMap.newKeySet();

  private Fleet() {}

  /** The default number of labs at once: the machine's cores. */
  static int defaultParallel() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** {@code --parallel K}: K ≥ 1, or the default when not given. */
  static int parallelOption(Integer k) {
    if (k == null) {
      return defaultParallel();
    }
    if (k < 1) {
      throw new IllegalArgumentException("--parallel: expected 1 or more, got " + k);
    }
    return k;
  }

  /**
   * Runs every member and writes the class report into {@code <reportsRoot>/<stamp>-<kind>/}, to which
   * {@code reportsRoot/latest} then points.
   *
   * @return 0 when every member passed, 1 otherwise
   */
  static int run(String kind, String title, List<Member> members, int parallel, Path reportsRoot, Lang lang,
      PrintStream out) throws IOException, InterruptedException {
    Instant start = Instant.now();
    Path classDir = reportsRoot.resolve(STAMP.format(start) + "-" + kind);
    for (int i = 2; Files.exists(classDir); i++) {
      classDir = reportsRoot.resolve(STAMP.format(start) + "-" + kind + "-" + i);
    }
    Files.createDirectories(classDir);
    Fleet fleet = new Fleet();
    Thread hook = new Thread(fleet::stopAll, "regcheck-fleet-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    int workers = Math.max(1, Math.min(parallel, members.size()));
    out.printf("%s: %d %s, %d at once; reports in %s%n", title, members.size(), kind.equals("class") ? "labs" : "clusters",
        workers, classDir);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<ClassReport.Lab> labs = new ArrayList<>();
    // the whole class's memory at its peak: this JVM and every lab's process tree at once
    AtomicLong classPeak = new AtomicLong();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "regcheck-fleet-memory");
      t.setDaemon(true);
      return t;
    });
    sampler.scheduleAtFixedRate(() -> classPeak.accumulateAndGet(treeRss(ProcessHandle.current()), Math::max),
        0, SAMPLE_MS, TimeUnit.MILLISECONDS);
    try {
      List<Future<ClassReport.Lab>> futures = new ArrayList<>();
      Path dir = classDir;
      for (Member m : members) {
        futures.add(pool.submit(() -> {
          ClassReport.Lab lab = fleet.runOne(m, dir);
          synchronized (out) {
            out.println("  " + m.name() + (m.faults().isEmpty() ? "" : " " + m.faults()) + ": "
                + ClassReport.outcome(lab, dir));
          }
          return lab;
        }));
      }
      for (Future<ClassReport.Lab> f : futures) {
        labs.add(f.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a lab of the class could not be run: " + e.getCause().getMessage(), e.getCause());
    } finally {
      sampler.shutdownNow();
      pool.shutdownNow();
      fleet.stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
    long ms = Duration.between(start, Instant.now()).toMillis();
    int exit = ClassReport.write(classDir, title, start, ms, workers, classPeak.get(), labs, lang);
    Path latest = reportsRoot.resolve("latest");
    Files.deleteIfExists(latest);
    Files.createSymbolicLink(latest, classDir.getFileName());
    long passed = labs.stream().filter(l -> l.exitCode() == 0).count();
    out.printf("%d of %d passed — %d ms, %d MiB at the peak — %s%n", passed, labs.size(), ms,
        classPeak.get() / (1024 * 1024), classDir.resolve("class.html"));
    return exit;
  }

  /** Runs one member to its end, sampling its memory; its console goes to its folder. */
  private ClassReport.Lab runOne(Member m, Path classDir) throws IOException, InterruptedException {
    Path labDir = ClassReport.labDir(classDir, m.name());
    Files.createDirectories(labDir);
    Path console = labDir.resolve("console.txt");
    List<String> argv = new ArrayList<>(javaCommand());
    argv.addAll(m.args());
    argv.addAll(List.of("--report-dir", labDir.toString()));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(console.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    running.add(p);
    long peak = 0;
    try {
      while (!p.waitFor(SAMPLE_MS, TimeUnit.MILLISECONDS)) {
        peak = Math.max(peak, treeRss(p.toHandle()));
      }
    } finally {
      running.remove(p);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Optional<String> error = Optional.empty();
    if (!Files.isRegularFile(labDir.resolve("latest").resolve("summary.json"))) {
      error = lastLine(console);
    }
    return new ClassReport.Lab(m.name(), m.faults(), p.exitValue(), ms, peak, error);
  }

  /** This JVM's own command: the same java, options and class path, then {@code Main}. */
  static List<String> javaCommand() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> argv = new ArrayList<>(List.of(java));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib:") && !a.startsWith("-javaagent:") && !a.startsWith("-Xrunjdwp")) {
        argv.add(a);
      }
    }
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return argv;
  }

  /** Resident memory of a process and all its descendants now, in bytes (0 for what has gone). */
  static long treeRss(ProcessHandle root) {
    long sum = 0;
    for (ProcessHandle h : Stream.concat(Stream.of(root), root.descendants()).toList()) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
          if (line.startsWith("VmRSS:")) {
            sum += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
          }
        }
      } catch (IOException | NumberFormatException gone) {
        // exited between listing and reading
      }
    }
    return sum;
  }

  private static Optional<String> lastLine(Path console) {
    try {
      List<String> lines = Files.readAllLines(console, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(l -> !l.isEmpty()).toList();
      return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** SIGTERM to every member still running (each stops its own lab), SIGKILL after a grace. */
  private void stopAll() {
    for (Process p : running) {
      p.destroy();
    }
    for (Process p : running) {
      try {
        if (!p.waitFor(STOP_GRACE_S, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
