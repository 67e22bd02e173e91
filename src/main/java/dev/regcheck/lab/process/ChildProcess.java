package dev.regcheck.lab.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One child process the lab started (the registry, HAProxy, rpcbind, nfs-ganesha): its output
 * pumped line by line into a sink, readiness as "the port accepts while it runs", and a stop by
 * PID (SIGTERM, then SIGKILL after a grace period) that returns only once the process is gone.
 */
public final class ChildProcess implements Part {
  private final Process process;
  private final Thread pump;

  private ChildProcess(Process process, Thread pump) {
    this.process = process;
    this.pump = pump;
  }

  /**
   * Starts {@code builder} with stdin closed. When {@code lines} is given, stdout and stderr go to
   * it line by line (a daemon thread named {@code name-<pid>}); otherwise the builder's own
   * redirects stand.
   */
  public static ChildProcess start(String name, ProcessBuilder builder, Consumer<String> lines) throws IOException {
    if (lines != null) {
      builder.redirectErrorStream(true);
    }
    Process process = builder.start();
    process.getOutputStream().close();
    Thread pump = null;
    if (lines != null) {
      pump = new Thread(() -> copy(process, lines), name + "-" + process.pid());
      pump.setDaemon(true);
      pump.start();
    }
    return new ChildProcess(process, pump);
  }

  private static void copy(Process process, Consumer<String> lines) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.accept(line);
      }
    } catch (IOException e) {
      // the stream closes when the process is stopped
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The exit code once the process has ended (and its output has been read). */
  public Optional<Integer> exitCode() {
    if (process.isAlive()) {
      return Optional.empty();
    }
    if (pump != null) {
      try {
        pump.join(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Optional.of(process.exitValue());
  }

  /** Waits up to {@code limit} for the process to end; whether it did. */
  public boolean awaitExit(Duration limit) throws InterruptedException {
    return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Until {@code 127.0.0.1:port} accepts a connection while this process runs, at most
   * {@code limit}: false when the process ended first or the time ran out.
   */
  public boolean awaitListening(int port, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return process.isAlive();
      } catch (IOException notYet) {
        Thread.sleep(5);
      }
    }
    return false;
  }

  /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone. */
  public void stop(Duration grace) {
    stop(process, grace);
  }

  /**
   * Sends a signal to this child by its PID with kill(1), e.g. {@code STOP} to freeze it as a
   * process blocked on a dead hard NFS mount is, {@code CONT} to let it run again.
   */
  public void signal(String name) throws IOException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IOException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling " + process.pid(), e);
    }
  }

  /** SIGKILL at once (a start that failed half-way). */
  public void kill() {
    process.destroyForcibly();
  }

  /**
   * Stops a child the lab started, by its PID: SIGTERM, then SIGKILL after {@code grace}; returns
   * once it is gone (or the wait was interrupted, after SIGKILL).
   */
  public static void stop(Process process, Duration grace) {
    ProcessHandle handle = process.toHandle();
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        handle.destroyForcibly();
        process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
