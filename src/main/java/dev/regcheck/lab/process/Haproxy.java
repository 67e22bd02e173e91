package dev.regcheck.lab.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The real HAProxy, as the router and the API front proxy run it (lab-components.md), on the lab's runtime. */
public final class Haproxy {
  /** How long a new haproxy may take to accept connections. */
  public static final Duration READY_LIMIT = Duration.ofSeconds(10);
  public static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration CHECK_LIMIT = Duration.ofSeconds(10);

  private final PartRuntime runtime;

  public Haproxy(PartRuntime runtime) {
    this.runtime = runtime;
  }

  /** Why haproxy cannot run here, if it cannot. */
  public Optional<String> unavailableReason() {
    return runtime.unavailableReason(Program.HAPROXY).map(why -> why + ", so routes are not admitted");
  }

  /** {@code haproxy -c -f}: empty when valid, else its complaint on one line. */
  public Optional<String> check(Path cfg) throws IOException {
    Path dir = cfg.getParent();
    Launch launch = new Launch("haproxy-check", Program.HAPROXY, List.of("-c", "-q", "-f", cfg.toString()), dir,
        List.of(dir), null, cfg.resolveSibling(cfg.getFileName() + ".check"));
    PartRuntime.Outcome outcome;
    try {
      outcome = runtime.run(launch, CHECK_LIMIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
    if (outcome.timedOut()) {
      return Optional.of("haproxy -c did not finish within " + CHECK_LIMIT.toSeconds() + " s");
    }
    return outcome.exitCode() == 0 ? Optional.empty()
        : Optional.of(outcome.output().strip().replaceAll("\\s*\\n\\s*", " | "));
  }

  /**
   * {@code haproxy -f cfg -db} in {@code dir} (which holds every file the configuration names); output
   * to {@code lines}, or to {@code log} when {@code lines} is null. A process it takes over from is
   * told to stop softly ({@link #handOver}) once this one listens, as {@code -sf} does.
   */
  public Part start(String name, Path cfg, Path dir, Consumer<String> lines, Path log) throws IOException {
    return runtime.start(new Launch(name, Program.HAPROXY, List.of("-f", cfg.toString(), "-db"), dir, List.of(dir),
        lines, log));
  }

  /**
   * SIGUSR1 to the process a new one took over from: haproxy's soft stop (it stops listening, finishes
   * its connections and exits), what {@code -sf <pid>} sends; both listen meanwhile (SO_REUSEPORT).
   */
  public static void handOver(Part old) throws IOException {
    if (old != null && old.alive()) {
      old.signal("USR1");
    }
  }
}
