package dev.regcheck.lab.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
   * {@code haproxy -f cfg -db} in {@code dir} (which holds every file the configuration names), taking over
   * from {@code old} with {@code -sf <pid>} when it runs and its PID is known: the new process tells the old
   * one to stop softly once it has bound its ports, so the port never refuses a connection. Output to
   * {@code lines}, or to {@code log} when {@code lines} is null.
   */
  public Part start(String name, Path cfg, Path dir, Part old, Consumer<String> lines, Path log) throws IOException {
    List<String> args = new ArrayList<>(List.of("-f", cfg.toString(), "-db"));
    if (bySignal(old)) {
      args.addAll(List.of("-sf", Long.toString(old.pid())));
    }
    return runtime.start(new Launch(name, Program.HAPROXY, args, dir, List.of(dir), lines, log));
  }

  /** Whether {@link #start} hands over from {@code old} itself ({@code -sf}); else {@link #handOver} must. */
  public static boolean bySignal(Part old) {
    return old != null && old.alive() && old.pid() > 0;
  }

  /**
   * SIGUSR1 to the process a new one took over from, where its PID is not this machine's (an engine in a
   * VM): haproxy's soft stop, what {@code -sf} sends; only once the new one listens.
   */
  public static void handOver(Part old) throws IOException {
    if (old != null && old.alive()) {
      old.signal("USR1");
    }
  }
}
