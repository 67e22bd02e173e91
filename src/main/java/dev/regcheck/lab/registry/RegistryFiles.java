package dev.regcheck.lab.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import dev.regcheck.lab.apiserver.ImageApi;

/**
 * Distribution's filesystem layout under each running registry's root directory (the NFS export,
 * or a pod's emptyDir), read and edited the way OpenShift's registry behaves: its answers come from
 * Image and ImageStream objects, so when an object goes, what the registry serves goes with it.
 *
 * <ul>
 *   <li>An Image deleted: every repository's manifest revision link for that digest is removed, so
 *       a pull by digest or by tag is 404 MANIFEST_UNKNOWN, while the tag link stays and
 *       {@code tags/list} still shows the tag (openshift-facts.md §7). Blobs stay.
 *   <li>An image stream tag deleted: the tag's directory goes ({@code tags/list} drops it).
 *   <li>An image stream deleted: the repository's directory goes ({@code _catalog} drops it).
 * </ul>
 * The registries run without a blob-descriptor cache, so they see these edits at once.
 */
public final class RegistryFiles {
  private final Supplier<Collection<Path>> roots;

  public RegistryFiles(Supplier<Collection<Path>> roots) {
    this.roots = roots;
  }

  /** The content of a blob (a manifest or a config) by digest, from whichever root has it. */
  Optional<byte[]> blob(String digest) {
    Optional<String> hex = hex(digest);
    if (hex.isEmpty()) {
      return Optional.empty();
    }
    for (Path root : roots.get()) {
      Path data = v2(root).resolve("blobs/sha256").resolve(hex.get().substring(0, 2))
          .resolve(hex.get()).resolve("data");
      try {
        return Optional.of(Files.readAllBytes(data));
      } catch (NoSuchFileException e) {
        // try the next root
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Optional.empty();
  }

  /** Flips the last byte of a blob's data in every root (the BLOB_CORRUPTION fault: bad storage). */
  void corrupt(String digest) {
    Optional<String> hex = hex(digest);
    if (hex.isEmpty()) {
      return;
    }
    for (Path root : roots.get()) {
      Path data = v2(root).resolve("blobs/sha256").resolve(hex.get().substring(0, 2)).resolve(hex.get()).resolve("data");
      if (!Files.isRegularFile(data)) {
        continue;
      }
      try (FileChannel f = FileChannel.open(data,
          StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer last = ByteBuffer.allocate(1);
        long at = f.size() - 1;
        f.read(last, at);
        last.put(0, (byte) (last.get(0) ^ 0xff)).rewind();
        f.write(last, at);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public void removeRevision(String digest) {
    Optional<String> hex = hex(digest);
    if (hex.isEmpty()) {
      return;
    }
    for (Path root : roots.get()) {
      Path repositories = v2(root).resolve("repositories");
      if (!Files.isDirectory(repositories)) {
        continue;
      }
      try (Stream<Path> namespaces = Files.list(repositories)) {
        for (Path ns : namespaces.toList()) {
          try (Stream<Path> names = Files.list(ns)) {
            for (Path repo : names.toList()) {
              delete(repo.resolve("_manifests/revisions/sha256").resolve(hex.get()));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public void removeTag(String namespace, String name, String tag) {
    if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException("not a tag: " + tag);
    }
    for (Path root : roots.get()) {
      delete(repository(root, namespace, name).resolve("_manifests/tags").resolve(tag));
    }
  }

  public void removeRepository(String namespace, String name) {
    for (Path root : roots.get()) {
      delete(repository(root, namespace, name));
    }
  }

  private static Path v2(Path root) {
    return root.resolve("docker/registry/v2");
  }

  private static Path repository(Path root, String namespace, String name) {
    if (!safe(namespace) || !safe(name)) {
      throw new IllegalArgumentException("not a repository name: " + namespace + "/" + name);
    }
    return v2(root).resolve("repositories").resolve(namespace).resolve(name);
  }

  private static boolean safe(String segment) {
    return segment.matches("[a-z0-9][a-z0-9._-]*");
  }

  private static Optional<String> hex(String digest) {
    return digest != null && digest.matches("sha256:[0-9a-f]{64}")
        ? Optional.of(digest.substring(7)) : Optional.empty();
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What OpenShift's registry serves follows the image objects: a deleted Image's revision, a
   * deleted tag and a deleted stream go from storage too ({@code deletionRemovesContent} false is
   * fault delete-noop: the manifest stays served).
   */
  public ImageApi.Hooks reactions(boolean deletionRemovesContent) {
    return new ImageApi.Hooks() {
      @Override
      public void imageDeleted(String digest) {
        if (deletionRemovesContent) {
          removeRevision(digest);
        }
      }

      @Override
      public void tagDeleted(String namespace, String stream, String tag) {
        removeTag(namespace, stream, tag);
      }

      @Override
      public void streamDeleted(String namespace, String stream) {
        removeRepository(namespace, stream);
      }
    };
  }
}
