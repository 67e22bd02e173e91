package dev.regcheck.lab.process;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One running program of the lab's real parts (the registry, HAProxy, the NFS daemons), wherever it
 * runs: a child process of this JVM ({@link ChildProcess}) or a container the lab's engine runs.
 */
public interface Part {
  /** Its process ID as this machine sees it; -1 when the engine's machine is not this one. */
  long pid();

  boolean alive();

  /** The exit code once it has ended (and its output has been read). */
  Optional<Integer> exitCode();

  /** Waits up to {@code limit} for it to end; whether it did. */
  boolean awaitExit(Duration limit) throws InterruptedException;

  /** Until {@code 127.0.0.1:port} accepts while it runs, at most {@code limit}: false when it ended first or the time ran out. */
  boolean awaitListening(int port, Duration limit) throws InterruptedException;

  /** SIGTERM, then SIGKILL after {@code grace}; returns once it is gone. */
  void stop(Duration grace);

  /** Sends it a signal by name, e.g. {@code STOP}, {@code CONT}, {@code USR1}. */
  void signal(String name) throws IOException;

  /** SIGKILL at once (a start that failed half-way). */
  void kill();
}
