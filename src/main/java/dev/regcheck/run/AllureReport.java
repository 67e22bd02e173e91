package dev.regcheck.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regcheck.catalog.Lang;
import dev.regcheck.result.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.ArrayList;

/**
 * The run's Allure report as one self-contained {@code index.html}, offline: the Allure
 * commandline (unpacked by the build from Maven Central's {@code allure-commandline} zip) runs as
 * a child process with analytics off. Before it runs, the results get {@code environment.properties},
 * {@code executor.json}, {@code categories.json} and the lab's history from earlier runs; a
 * multi-file pass harvests the new history (the single-file mode writes none) while the single-file
 * pass writes the page, the two side by side. A missing or failing generator never fails the run: it is said on stderr.
 */
final class AllureReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long LIMIT_SECONDS = 120;

  private AllureReport() {}

  /**
   * {@code <dir>/allure-*\/bin/allure}: the system property {@code regcheck.allure}, else target/allure
   * ({@code off}: no HTML report, as in the container image, which has no shell for the generator).
   */
  static Optional<Path> generator() {
    Path dir = Path.of(System.getProperty("regcheck.allure",
        Path.of(System.getProperty("regcheck.home", ".")).resolve("target/allure").toString()));
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(dir)) {
      return versions.filter(p -> p.getFileName().toString().startsWith("allure-"))
          .map(p -> p.resolve("bin/allure")).filter(Files::isExecutable).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes {@code index.html} into the run's folder; {@code historyDir} keeps the lab's history
   * between runs. Returns the page, or empty with the reason printed.
   */
  static Optional<Path> generate(RunReport r, Path historyDir, Map<String, String> environment, Redactor redactor,
      Lang lang, Warm warm) {
    if ("off".equals(System.getProperty("regcheck.allure"))) {
      return Optional.empty(); // the container image: allure-results only, for the pipeline to render
    }
    Optional<Path> allure = generator();
    if (allure.isEmpty()) {
      System.err.println("regcheck: no Allure report: the generator is not unpacked (build with ./mvnw process-resources)");
      return Optional.empty();
    }
    Path results = r.dir().resolve("allure-results");
    Path work = r.dir().resolve(".allure-work");
    try {
      describe(results, r, environment, redactor);
      if (Files.isDirectory(historyDir)) {
        copyTree(historyDir, results.resolve("history"));
      }
      // the history pass and the page's pass read the same results and write apart: they run side by side
      long heap = heapMib(results);
      List<String> fullArgs = List.of("generate", "--clean", "-o", work.resolve("full").toString(), results.toString());
      // the page's own words (tabs, buttons, "Categories") in the run's language too
      List<String> singleArgs = List.of("generate", "--single-file", "--clean", "--lang", lang.code(),
          "--name", "regcheck " + r.lab(), "-o", work.resolve("single").toString(), results.toString());
      Process full = warm.use(FULL, fullArgs, heap).orElse(null);
      if (full == null) {
        full = start(allure.get(), fullArgs, r.dir(), FULL, jvm(heap));
      }
      Process single = warm.use(SINGLE, singleArgs, heap).orElse(null);
      if (single == null) {
        single = start(allure.get(), singleArgs, r.dir(), SINGLE, jvm(heap));
      }
      try {
        await(full, r.dir(), FULL);
        await(single, r.dir(), SINGLE);
      } finally {
        full.destroyForcibly();
        single.destroyForcibly();
      }
      deleteTree(historyDir);
      copyTree(work.resolve("full/history"), historyDir);
      Path page = r.dir().resolve("index.html");
      Files.move(work.resolve("single/index.html"), page, StandardCopyOption.REPLACE_EXISTING);
      return Optional.of(page);
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      System.err.println("regcheck: no Allure report: " + redactor.redact(e.getMessage()));
      return Optional.empty();
    } finally {
      warm.close(); // a warmed generator not used (too small a heap for these results) ends before its folder goes
      try {
        deleteTree(work);
      } catch (IOException e) {
        System.err.println("regcheck: cannot remove " + work + ": " + e.getMessage());
      }
    }
  }

  /** environment.properties, executor.json and categories.json for the report's widgets. */
  static void describe(Path results, RunReport r, Map<String, String> environment, Redactor redactor) throws IOException {
    Files.createDirectories(results);
    StringBuilder env = new StringBuilder();
    environment.forEach((k, v) -> env.append(k).append('=').append(v.replace("\n", " ")).append('\n'));
    Files.writeString(results.resolve("environment.properties"), redactor.redact(env.toString()), StandardCharsets.UTF_8);
    ObjectNode executor = JSON.createObjectNode();
    executor.put("name", "regcheck");
    executor.put("type", "regcheck");
    executor.put("buildName", r.lab() + " " + r.mode().id() + " " + r.startedAt());
    executor.put("reportName", "regcheck — " + r.lab());
    Files.writeString(results.resolve("executor.json"), JSON.writeValueAsString(executor));
    Files.writeString(results.resolve("categories.json"), JSON.writeValueAsString(categories()));
  }

  /**
   * Failures filed by the area of the check that failed (its first trace line, written by
   * {@link AllureResults}): TLS and trust, NFS, registry access, authentication, storage and
   * operator; a harness error (ERROR) apart. Nothing that passed, was skipped or blocked is filed.
   */
  static ArrayNode categories() {
    ArrayNode out = JSON.createArrayNode();
    ObjectNode harness = out.addObject();
    harness.put("name", "Harness error / 工具自身错误");
    harness.putArray("matchedStatuses").add("broken");
    for (Area area : Area.values()) {
      ObjectNode c = out.addObject();
      c.put("name", area.title());
      c.putArray("matchedStatuses").add("failed");
      c.put("traceRegex", "(?s)" + java.util.regex.Pattern.quote(AllureResults.AREA + area.title()) + ".*");
    }
    return out;
  }

  private static final String FULL = "full";
  private static final String SINGLE = "single";
  /** The heap a warmed generator starts with (the results' size is not known yet): results up to 16 MiB. */
  static final long WARM_HEAP_MIB = 128;
  private static final Path NICE = Path.of("/usr/bin/nice");

  /**
   * The generator is a short-lived JVM that reads a few hundred small files: C1 only, the serial collector and
   * the JDK's class-data archive start it fastest, and a heap sized by the results (the page embeds every
   * attachment) keeps it small: 64 MiB plus four times the results, at most 1 GiB (a healthy run's 43
   * results: 105 MiB resident instead of 171 MiB with the JVM's own sizing).
   */
  static long heapMib(Path results) throws IOException {
    long bytes;
    try (Stream<Path> files = Files.walk(results)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    return Math.min(1024, 64 + 4 * (bytes >> 20));
  }

  static String jvm(long heapMib) {
    return "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xss512k -Xmx" + heapMib + "m";
  }

  /**
   * The two generators (the history pass and the page's), started once the procedure is applied: each
   * generates a report of no results while the checks run, then waits for its real arguments
   * ({@link AllureWarmGenerator}), so that after the run it takes about 0.3 s instead of 0.9 s. Closing ends any not used (its standard input
   * closed, it exits; else it is killed).
   */
  static final class Warm implements AutoCloseable {
    static final Warm NONE = new Warm(null, null);

    private final Path home;
    private final Path runDir;
    private final Map<String, Process> waiting = new java.util.HashMap<>();

    private Warm(Path home, Path runDir) {
      this.home = home;
      this.runDir = runDir;
    }

    /**
     * Starts both generators, at the lowest priority (they warm up on the cycles the run leaves idle: its
     * waits). Called once the procedure is applied, when the run mostly waits on the cluster.
     */
    synchronized void begin() {
      if (home == null || !waiting.isEmpty()) {
        return;
      }
      try {
        Path ours = Path.of(AllureWarmGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classPath = home.resolve("lib") + "/*" + java.io.File.pathSeparator + home.resolve("lib/config")
            + java.io.File.pathSeparator + ours;
        Path work = Files.createDirectories(runDir.resolve(".allure-work"));
        for (String pass : List.of(FULL, SINGLE)) {
          List<String> command = new ArrayList<>(Files.isExecutable(NICE) ? List.of(NICE.toString(), "-n", "19") : List.of());
          command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
          command.addAll(List.of(jvm(WARM_HEAP_MIB).split(" ")));
          command.addAll(List.of("-cp", classPath, AllureWarmGenerator.class.getName(), work.resolve("warm-" + pass).toString()));
          if (pass.equals(SINGLE)) {
            command.add("--single-file");
          }
          ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true)
              .redirectOutput(log(runDir, pass).toFile());
          builder.environment().put("APP_HOME", home.toString());
          builder.environment().put("ALLURE_NO_ANALYTICS", "true");
          waiting.put(pass, builder.start());
        }
      } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
        close(); // the cold generators run after the checks instead
      }
    }

    /** The pass's generator, given its arguments; empty when there is none or its heap is too small. */
    synchronized Optional<Process> use(String pass, List<String> args, long heapMib) {
      Process p = waiting.remove(pass);
      if (p == null) {
        return Optional.empty();
      }
      if (heapMib > WARM_HEAP_MIB || !p.isAlive()) {
        end(p);
        return Optional.empty();
      }
      try (var in = p.getOutputStream()) {
        in.write((String.join("\n", args) + "\n\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        end(p);
        return Optional.empty();
      }
      return Optional.of(p);
    }

    @Override
    public synchronized void close() {
      waiting.values().forEach(Warm::end);
      waiting.clear();
    }

    private static void end(Process p) {
      try {
        p.getOutputStream().close(); // no arguments: it exits
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        p.destroyForcibly();
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The generators of a run whose folder is {@code runDir}, started by {@link Warm#begin}; none without a generator. */
  static Warm warm(Path runDir) {
    Optional<Path> allure = generator();
    if ("off".equals(System.getProperty("regcheck.allure")) || allure.isEmpty()) {
      return Warm.NONE;
    }
    return new Warm(allure.get().getParent().getParent(), runDir);
  }

  private static Process start(Path allure, List<String> args, Path dir, String pass, String jvm) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(allure.toString());
    command.addAll(args);
    Files.createDirectories(dir.resolve(".allure-work"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log(dir, pass).toFile());
    builder.environment().put("ALLURE_NO_ANALYTICS", "true");
    builder.environment().put("JAVA_OPTS", jvm);
    Process p = builder.start();
    p.getOutputStream().close();
    return p;
  }

  private static Path log(Path dir, String pass) {
    return dir.resolve(".allure-work").resolve("generate-" + pass + ".log");
  }

  private static void await(Process p, Path dir, String pass) throws IOException, InterruptedException {
    if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IOException("allure generate did not finish within " + LIMIT_SECONDS + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("allure generate exited with " + p.exitValue() + ": "
          + Files.readString(log(dir, pass)).lines().reduce((a, b) -> b).orElse(""));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
