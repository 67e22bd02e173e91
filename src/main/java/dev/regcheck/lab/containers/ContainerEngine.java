package dev.regcheck.lab.containers;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * What the engine still holds of the lab {@code labId} (its folder): containers (any state), networks,
   * volumes, each as "kind id name"; empty when nothing, or when no engine answers.
   */
  public static List<String> leftovers(String labId) {
    if (unavailableReason().isPresent()) {
      return List.of();
    }
    DockerClient docker = client();
    Map<String, String> label = Map.of(LABEL, labId);
    List<String> left = new ArrayList<>();
    docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec()
        .forEach(c -> left.add("container " + c.getId().substring(0, 12) + " " + String.join(",", c.getNames())
            + " (" + c.getState() + ")"));
    docker.listNetworksCmd().exec().stream()
        .filter(n -> n.getLabels() != null && labId.equals(n.getLabels().get(LABEL)))
        .forEach(n -> left.add("network " + n.getId().substring(0, 12) + " " + n.getName()));
    var volumes = docker.listVolumesCmd().withFilter("label", List.of(LABEL + "=" + labId)).exec().getVolumes();
    if (volumes != null) {
      volumes.forEach(v -> left.add("volume " + v.getName()));
    }
    return left;
  }

  /** The engine's dangling images (untagged, used by no other image), by ID; empty when no engine answers. */
  public static List<String> danglingImages() {
    if (unavailableReason().isPresent()) {
      return List.of();
    }
    return client().listImagesCmd().withDanglingFilter(true).exec().stream().map(i -> i.getId()).sorted().toList();
  }

  /**
   * Builds the lab's images where the engine lacks them, once, before labs start side by side (a class):
   * two labs building the same image at once would leave one of the two builds behind, untagged.
   */
  public static void prepareImages() throws IOException {
    Images images = new Images(client());
    for (Images.Kind kind : Images.Kind.values()) {
      images.image(kind);
    }
  }

  /** The engine's client (only once {@link #unavailableReason()} was empty). */
  static DockerClient client() {
    return DockerClientFactory.instance().client();
  }
}
