package dev.regcheck.lab.containers;

import com.github.dockerjava.api.DockerClient;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * The container engine Testcontainers finds (DOCKER_HOST, else the platform's Docker socket, Docker or
 * Podman Desktop's included): whether one answers, and if not, one line saying where it looked and how
 * to start one.
 */
public final class ContainerEngine {
  /** What every lab container, network and image carries, for the sweep at close and for tests. */
  public static final String LABEL = "dev.regcheck.lab";

  private ContainerEngine() {}

  /** The socket an engine is looked for at: DOCKER_HOST when set, else Docker's default. */
  public static String endpoint() {
    String host = System.getenv("DOCKER_HOST");
    return host != null && !host.isBlank() ? host : "unix:///var/run/docker.sock";
  }

  /** Empty when an engine answers; else the one-line reason. */
  public static synchronized Optional<String> unavailableReason() {
    boolean answers;
    try {
      answers = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      answers = false;
    }
    return answers ? Optional.empty() : Optional.of("no container engine answers at " + endpoint()
        + (System.getenv("DOCKER_HOST") == null ? " (DOCKER_HOST is not set)" : "")
        + "; start one: eval \"$(bin/container-engine start)\" (rootful podman here), or Docker Desktop or Podman"
        + " Desktop, then set DOCKER_HOST to its socket");
  }

  /** The engine's client (only once {@link #unavailableReason()} was empty). */
  static DockerClient client() {
    return DockerClientFactory.instance().client();
  }
}
