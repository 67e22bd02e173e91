package dev.regcheck.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.io.File;

/**
 * One run of the real CNCF Distribution registry ({@code docker-registry serve <config>}): the
 * container the kubelet imitation starts for a registry pod. Output goes to a {@link LogRing};
 * the process is tracked and stopped by PID (SIGTERM, then SIGKILL after 5 s).
 */
final class RegistryProcess {
  private static final long STOP_GRACE_SECONDS = 5;

  private final Process process;
  private final Thread pump;

  private RegistryProcess(Process process, Thread pump) {
    this.process = process;
    this.pump = pump;
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

  static RegistryProcess start(Path binary, Path config, Path workingDir, LogRing log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", config.toString())
        .directory(workingDir.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    // docker-registry reads REGISTRY_* overrides from its environment: only the config file counts.
    env.keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    env.remove("OTEL_TRACES_EXPORTER");
    Process process = builder.start();
    process.getOutputStream().close();
    Thread pump = new Thread(() -> copy(process, log), "lab-registry-log-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    return new RegistryProcess(process, pump);
  }

  private static void copy(Process process, LogRing log) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.add(line);
      }
    } catch (IOException e) {
      // the stream closes when the process is stopped
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The exit code once the process has ended (and its output has been read). */
  Optional<Integer> exitCode() {
    if (process.isAlive()) {
      return Optional.empty();
    }
    try {
      pump.join(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.of(process.exitValue());
  }

  /** SIGTERM, then SIGKILL after the grace period; returns once the process is gone. */
  void stop() {
    stop(process, STOP_GRACE_SECONDS);
  }

  /**
   * Stops a child the lab started, by its PID: SIGTERM, then SIGKILL after {@code graceSeconds};
   * returns once it is gone (or the wait was interrupted, after SIGKILL).
   */
  static void stop(Process process, long graceSeconds) {
    ProcessHandle handle = process.toHandle();
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(graceSeconds, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
