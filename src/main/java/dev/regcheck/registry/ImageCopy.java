package dev.regcheck.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.io.InputStream;

/**
 * Copies one single-platform image between registries, as {@code podman pull} then {@code podman
 * push} of the document's {@code docker.io/library/hello-world} does, but byte for byte: the
 * manifest is pushed unchanged, so the digest is the source's. A manifest list or index is
 * resolved to its {@code linux/amd64} entry first. Blobs go through a temporary file each (verified on
 * the way in), several side by side, so memory does not grow with layer size; blobs the target already
 * has are skipped.
 */
public final class ImageCopy {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageCopy() {}

  /** A parsed image reference: registry host, repository and tag or digest. */
  public record Reference(String registry, String repository, String reference) {

    /**
     * Parses {@code host[:port]/path[:tag|@digest]}; {@code docker.io} means Docker Hub's API host
     * {@code registry-1.docker.io}, and a one-level Hub path gets {@code library/}.
     */
    public static Reference parse(String text) {
      int slash = text.indexOf('/');
      if (slash <= 0 || !(text.substring(0, slash).contains(".") || text.substring(0, slash).contains(":"))) {
        throw new IllegalArgumentException("not a full image reference (registry host first): " + text);
      }
      String host = text.substring(0, slash);
      String rest = text.substring(slash + 1);
      String ref;
      int at = rest.indexOf('@');
      int colon = rest.lastIndexOf(':');
      if (at >= 0) {
        ref = rest.substring(at + 1);
        rest = rest.substring(0, at);
      } else if (colon > rest.lastIndexOf('/')) {
        ref = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      } else {
        ref = "latest";
      }
      if (host.equals("docker.io") || host.equals("index.docker.io")) {
        host = "registry-1.docker.io";
        if (!rest.contains("/")) {
          rest = "library/" + rest;
        }
      }
      return new Reference(host.contains(":") ? host : host + ":443", rest, ref);
    }
  }

  /** What was copied: the manifest digest at the target and the blobs moved or found there. */
  public record Copied(String digest, int blobsCopied, int blobsPresent) {}

  public static Copied copy(RegistryClient from, String fromRepo, String reference, RegistryClient to,
      String toRepo, String tag, Path tempDir) throws IOException {
    return copy(from, fromRepo, resolve(from, fromRepo, reference), to, toRepo, tag, tempDir);
  }

  /** The source's single-platform manifest: the reference's, or its index's linux/amd64 entry. */
  public static Manifest resolve(RegistryClient from, String fromRepo, String reference) throws IOException {
    Manifest top = from.getManifest(fromRepo, reference);
    if (!MediaTypes.isIndex(top.mediaType())) {
      return top;
    }
    String platform = platformDigest(top).orElseThrow(() -> new IOException(fromRepo + ":" + reference
        + " has no linux/amd64 image in its " + top.mediaType()));
    return from.getManifest(fromRepo, platform);
  }

  /** Copies a resolved manifest and its blobs; returns the digest at the target (the same). */
  public static Copied copy(RegistryClient from, String fromRepo, Manifest manifest, RegistryClient to,
      String toRepo, String tag, Path tempDir) throws IOException {
    JsonNode m = JSON.readTree(manifest.bytes());
    List<JsonNode> blobs = new ArrayList<>();
    blobs.add(m.path("config"));
    m.path("layers").forEach(blobs::add);
    // each blob through a temporary file of its own, several side by side (RegistryClient.PARALLEL_BLOBS)
    List<Descriptor> moved = Concurrently.map(blobs, RegistryClient.PARALLEL_BLOBS, descriptor -> {
      String digest = descriptor.path("digest").asText();
      Path file = Files.createTempFile(tempDir, "blob-", ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(file)) {
          from.pullBlob(fromRepo, digest, out);
        }
        return to.pushBlob(toRepo, new FileBlob(file, digest, Files.size(file),
            descriptor.path("mediaType").asText(MediaTypes.OCTET_STREAM)));
      } finally {
        Files.deleteIfExists(file);
      }
    });
    int present = (int) moved.stream().filter(Descriptor::alreadyPresent).count();
    int copied = moved.size() - present;
    String digest = to.putManifest(toRepo, tag, manifest.mediaType(), manifest.bytes());
    return new Copied(digest, copied, present);
  }

  private static Optional<String> platformDigest(Manifest index) throws IOException {
    for (JsonNode entry : JSON.readTree(index.bytes()).path("manifests")) {
      JsonNode p = entry.path("platform");
      if ("linux".equals(p.path("os").asText()) && "amd64".equals(p.path("architecture").asText())) {
        return Optional.of(entry.path("digest").asText());
      }
    }
    return Optional.empty();
  }

  /** A verified temporary file: its digest is known from the pull that wrote it. */
  private record FileBlob(Path file, String digest, long size, String mediaType) implements Blob {
    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(file);
    }
  }
}
