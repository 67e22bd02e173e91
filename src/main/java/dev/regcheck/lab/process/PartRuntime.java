package dev.regcheck.lab.process;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the lab's real parts run: as this JVM's child processes ({@link HostRuntime}, the Debian
 * packages installed here) or as containers of a container engine (the containers provider). The
 * programs, their configuration files and their addresses (127.0.0.1 ports) are the same either way.
 */
public interface PartRuntime extends AutoCloseable {
  /** {@code host} or {@code containers}. */
  String name();

  /** Why {@code program} cannot run here, if it cannot. */
  Optional<String> unavailableReason(Program program);

  /** Starts a long-running program. */
  Part start(Launch launch) throws IOException;

  /** Runs a program to its end within {@code limit} (e.g. {@code haproxy -c}). */
  Outcome run(Launch launch, Duration limit) throws IOException, InterruptedException;

  /** The end of a {@link #run}: its exit code (-1 when it was stopped at the limit) and its output. */
  record Outcome(int exitCode, String output, boolean timedOut) {}

  /** Stops and removes whatever it still runs. */
  @Override
  void close();
}
