package dev.regcheck.lab.registry;

import dev.regcheck.lab.process.Launch;
import dev.regcheck.lab.process.Part;
import dev.regcheck.lab.process.PartRuntime;
import dev.regcheck.lab.process.Program;
import java.util.List;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import dev.regcheck.lab.core.LogRing;

/**
 * One run of the real CNCF Distribution registry ({@code docker-registry serve <config>}): the
 * container the kubelet imitation starts for a registry pod. Output goes to a {@link LogRing};
 * the process is tracked and stopped by PID (SIGTERM, then SIGKILL after 5 s),
 * as a child process or as a container, whichever the lab's runtime is.
 */
public final class RegistryProcess {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Part process;
  private volatile boolean frozen;

  private RegistryProcess(Part process) {
    this.process = process;
  }

  public static RegistryProcess start(PartRuntime runtime, Path config, Path workingDir, Path dataDir, LogRing log)
      throws IOException {
    return new RegistryProcess(runtime.start(new Launch("lab-registry", Program.REGISTRY, List.of("serve", config.toString()),
        workingDir, List.of(workingDir, dataDir), log::add, null)));
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
