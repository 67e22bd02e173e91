package dev.regcheck.lab.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The lab's images, built from the project's {@code containers/<part>/Containerfile} by Testcontainers and
 * kept by the engine between runs under a tag that names their content ({@code localhost/regcheck-<part>:
 * <digest>}); a new build removes that part's older tags, so nothing dangles. The base under every part is
 * {@code debian:bookworm-slim} with the lab's Debian packages where Docker Hub is reachable, or the
 * programs of this machine's packages ({@link HostRootfs}) where it is not: {@code host} when they are all
 * installed here, else {@code debian} (system property {@code regcheck.containers.base} picks one).
 */
final class Images {
  /** The parts, by the folder of their Containerfile. */
  enum Kind { REGISTRY("registry"), HAPROXY("haproxy"), NFS("nfs");
    final String folder;
    Kind(String folder) {
      this.folder = folder;
    }
  }

  static final String REPOSITORY = "localhost/regcheck-";

  private final DockerClient docker;
  private final Map<Kind, String> built = new ConcurrentHashMap<>();
  private String base;

  Images(DockerClient docker) {
    this.docker = docker;
  }

  /** The part's image, built when the engine does not have it yet. */
  synchronized String image(Kind kind) throws IOException {
    String known = built.get(kind);
    if (known != null) {
      return known;
    }
    String baseName = base();
    String containerfile = resource(kind.folder + "/Containerfile");
    Map<String, String> extra = kind == Kind.NFS ? Map.of("nfs-server", resource("nfs/nfs-server")) : Map.of();
    String name = REPOSITORY + kind.folder + ":" + digest(baseName + containerfile + extra);
    if (!exists(name)) {
      ImageFromDockerfile image = new ImageFromDockerfile(name, false)
          .withFileFromString("Containerfile", containerfile)
          .withDockerfilePath("Containerfile")
          .withBuildArg("BASE", baseName);
      extra.forEach(image::withFileFromString);
      build(image, kind.folder);
    }
    built.put(kind, name);
    return name;
  }

  private String base() throws IOException {
    if (base != null) {
      return base;
    }
    String choice = System.getProperty("regcheck.containers.base", "auto");
    Optional<HostRootfs> host;
    try {
      host = "debian".equals(choice) ? Optional.empty() : HostRootfs.fromThisMachine();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading this machine's packages", e);
    }
    if ("host".equals(choice) && host.isEmpty()) {
      throw new IOException("regcheck.containers.base=host, but this machine lacks a lab package "
          + "(bin/lab-packages installs them)");
    }
    if (host.isPresent()) {
      String name = REPOSITORY + "base:host-" + host.get().digest();
      if (!exists(name)) {
        Path staging = Files.createTempDirectory("regcheck-rootfs-");
        try {
          host.get().stage(staging.resolve("rootfs"));
          build(new ImageFromDockerfile(name, false)
              .withFileFromString("Containerfile", resource("base/Containerfile.offline"))
              .withDockerfilePath("Containerfile")
              .withFileFromPath("rootfs", staging.resolve("rootfs")), "base");
        } finally {
          delete(staging);
        }
      }
      base = name;
    } else {
      String containerfile = resource("base/Containerfile");
      String name = REPOSITORY + "base:debian-" + digest(containerfile);
      if (!exists(name)) {
        build(new ImageFromDockerfile(name, false).withFileFromString("Containerfile", containerfile)
            .withDockerfilePath("Containerfile"), "base");
      }
      base = name;
    }
    return base;
  }

  private void build(ImageFromDockerfile image, String part) throws IOException {
    try {
      image.get();
    } catch (RuntimeException e) {
      throw new IOException("the lab's " + part + " image did not build: " + ContainerRuntime.rootMessage(e), e);
    }
    String name = image.getDockerImageName();
    removeOlder(name);
  }

  /** The part's older tags (other content), so that rebuilding never leaves images behind. */
  private void removeOlder(String name) {
    String repository = name.substring(0, name.lastIndexOf(':'));
    for (Image other : docker.listImagesCmd().withImageNameFilter(repository).exec()) {
      List<String> tags = other.getRepoTags() == null ? List.of() : List.of(other.getRepoTags());
      if (!tags.isEmpty() && !tags.contains(name) && tags.stream().allMatch(t -> t.startsWith(repository + ":"))) {
        try {
          docker.removeImageCmd(other.getId()).withForce(false).exec();
        } catch (RuntimeException e) {
          // in use by a lab that still runs: the next build removes it
        }
      }
    }
  }

  private boolean exists(String name) {
    try {
      docker.inspectImageCmd(name).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** A file of the project's containers/ folder, packaged as a class-path resource. */
  static String resource(String path) {
    try (InputStream in = Images.class.getResourceAsStream("/containers/" + path)) {
      if (in == null) {
        throw new IllegalStateException("resource containers/" + path + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String digest(String content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(content.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
