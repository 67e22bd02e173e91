package dev.regcheck.lab.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.regcheck.lab.process.Part;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;

/**
 * A part running as a container: its output reaches the lab through the container's log consumer, whose
 * end is the container's end (its exit code then read from the engine), and signals go through the engine
 * ({@code kill --signal}), to the program itself, the container's first process. {@link #stop} is the
 * engine's stop (the image's stop signal, SIGTERM unless it says otherwise; SIGKILL after the grace),
 * then removal.
 */
final class ContainerPart implements Part {
  private final DockerClient docker;
  private final GenericContainer<?> container;
  private final String id;
  private final long pid;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CountDownLatch outputRead;
  private volatile int exitCode = -1;
  private volatile boolean removed;

  ContainerPart(DockerClient docker, GenericContainer<?> container, CountDownLatch outputRead) {
    this.docker = docker;
    this.container = container;
    this.id = container.getContainerId();
    this.outputRead = outputRead;
    Long engine = container.getContainerInfo().getState().getPidLong();
    // the engine's process ID is this machine's only where the engine runs here (not in Docker Desktop's VM)
    this.pid = engine != null && engine > 0 && Files.exists(Path.of("/proc/" + engine)) ? engine : -1;
    // the end of its output is the end of the container; then its exit code is the engine's to say
    // (podman 4.3's wait call polls without pause: a core per waiting container)
    Thread watcher = new Thread(this::awaitEnd, "lab-container-" + id.substring(0, 12));
    watcher.setDaemon(true);
    watcher.start();
  }

  private void awaitEnd() {
    try {
      outputRead.await();
      for (int i = 0; i < 200; i++) {
        InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
        if (!Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getPaused())) {
          Long code = state.getExitCodeLong();
          exitCode = code == null ? -1 : code.intValue();
          break;
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException gone) {
      // removed, or the engine went away: either way it no longer runs
    } finally {
      ended.countDown();
    }
  }

  String id() {
    return id;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public boolean alive() {
    return ended.getCount() > 0;
  }

  @Override
  public Optional<Integer> exitCode() {
    if (alive()) {
      return Optional.empty();
    }
    return Optional.of(exitCode); // ended only once the output was read
  }

  @Override
  public boolean awaitExit(Duration limit) throws InterruptedException {
    return ended.await(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean awaitListening(int port, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline && alive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return alive();
      } catch (IOException notYet) {
        Thread.sleep(5);
      }
    }
    return false;
  }

  @Override
  public synchronized void stop(Duration grace) {
    if (removed) {
      return;
    }
    try {
      if (alive()) {
        docker.stopContainerCmd(id).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
        ended.await(grace.toMillis() + 2000, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // already stopped or gone: removal below still applies
    } finally {
      removed = true;
      container.stop(); // SIGKILL if it still runs, then removal with its anonymous volumes
      ended.countDown();
    }
  }

  @Override
  public void signal(String name) throws IOException {
    try {
      docker.killContainerCmd(id).withSignal(name).exec();
    } catch (RuntimeException e) {
      throw new IOException("signal " + name + " to container " + id.substring(0, 12) + " failed: " + e.getMessage(), e);
    }
  }

  /** SIGKILL and removal at once (also what stops a first process that handles no signal, such as sleep). */
  @Override
  public synchronized void kill() {
    if (!removed) {
      removed = true;
      container.stop();
      ended.countDown();
    }
  }
}
