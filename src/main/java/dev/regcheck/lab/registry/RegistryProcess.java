package dev.regcheck.lab.registry;

import dev.regcheck.lab.process.ChildProcess;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.io.File;
import dev.regcheck.lab.core.LogRing;

/**
 * One run of the real CNCF Distribution registry ({@code docker-registry serve <config>}): the
 * container the kubelet imitation starts for a registry pod. Output goes to a {@link LogRing};
 * the process is tracked and stopped by PID (SIGTERM, then SIGKILL after 5 s).
 */
public final class RegistryProcess {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final ChildProcess process;
  private volatile boolean frozen;

  private RegistryProcess(ChildProcess process) {
    this.process = process;
  }

  /** The docker-registry binary: {@code /usr/bin/docker-registry}, else the first on PATH. */
  static Optional<Path> binary() {
    Path standard = Path.of("/usr/bin/docker-registry");
    if (Files.isExecutable(standard)) {
      return Optional.of(standard);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "docker-registry");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public static RegistryProcess start(Path binary, Path config, Path workingDir, LogRing log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", config.toString())
        .directory(workingDir.toFile());
    Map<String, String> env = builder.environment();
    // docker-registry reads REGISTRY_* overrides from its environment: only the config file counts.
    env.keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    env.remove("OTEL_TRACES_EXPORTER");
    return new RegistryProcess(ChildProcess.start("lab-registry-log", builder, log::add));
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.alive();
  }

  /** The exit code once the process has ended (and its output has been read). */
  public Optional<Integer> exitCode() {
    return process.exitCode();
  }

  /** Freezes the registry (SIGSTOP): it keeps its sockets and answers nothing, as a registry hung on its storage. */
  public void freeze() throws IOException {
    process.signal("STOP");
    frozen = true;
  }

  public boolean frozen() {
    return frozen;
  }

  /** SIGTERM, then SIGKILL after the grace period; returns once the process is gone (a frozen one is thawed first). */
  public void stop() {
    if (frozen) {
      try {
        process.signal("CONT");
      } catch (IOException e) {
        // SIGKILL after the grace period still ends it
      }
    }
    process.stop(STOP_GRACE);
  }
}
