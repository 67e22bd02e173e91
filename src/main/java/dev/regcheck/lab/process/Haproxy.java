package dev.regcheck.lab.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The real HAProxy binary, as the router and the API front proxy run it (lab-components.md). */
public final class Haproxy {
  public static final Path BINARY = Path.of("/usr/sbin/haproxy");
  /** How long a new haproxy may take to accept connections. */
  public static final Duration READY_LIMIT = Duration.ofSeconds(10);
  public static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration CHECK_LIMIT = Duration.ofSeconds(10);

  private Haproxy() {}

  /** Why haproxy cannot run here, if it cannot. */
  public static Optional<String> unavailableReason() {
    return Files.isExecutable(BINARY) ? Optional.empty()
        : Optional.of("haproxy is not installed (" + BINARY + "; apt-get install haproxy), so routes are not admitted");
  }

  /** {@code haproxy -c -f}: empty when valid, else its complaint on one line. */
  public static Optional<String> check(Path cfg) throws IOException {
    // output to a file, so the time limit holds even when haproxy -c hangs without writing
    Path out = cfg.resolveSibling(cfg.getFileName() + ".check");
    ChildProcess check = ChildProcess.start("haproxy-check", new ProcessBuilder(BINARY.toString(), "-c", "-q", "-f",
        cfg.toString()).redirectErrorStream(true).redirectOutput(out.toFile()), null);
    try {
      if (!check.awaitExit(CHECK_LIMIT)) {
        check.stop(Duration.ofSeconds(1));
        return Optional.of("haproxy -c did not finish within " + CHECK_LIMIT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      check.kill();
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Files.deleteIfExists(out);
    return check.exitCode().orElse(-1) == 0 ? Optional.empty()
        : Optional.of(output.strip().replaceAll("\\s*\\n\\s*", " | "));
  }

  /**
   * {@code haproxy -f cfg -db} in {@code dir}, taking over from {@code old} ({@code -sf <pid>})
   * when one runs; output to {@code lines}, or to {@code log} when {@code lines} is null.
   */
  public static ChildProcess start(String name, Path cfg, Path dir, ChildProcess old, Consumer<String> lines, Path log)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-f", cfg.toString(), "-db"));
    if (old != null && old.alive()) {
      command.addAll(List.of("-sf", Long.toString(old.pid())));
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    if (lines == null) {
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
    }
    return ChildProcess.start(name, builder, lines);
  }
}
