package dev.regcheck.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Objects;

/** The two {@link Blob} implementations. */
final class Blobs {
  private Blobs() {}

  record InMemory(String mediaType, byte[] content, String digest) implements Blob {
    InMemory {
      Objects.requireNonNull(mediaType, "mediaType");
    }

    @Override
    public long size() {
      return content.length;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(content);
    }

    @Override
    public String toString() {
      return "Blob[" + mediaType + " " + digest + " " + content.length + " bytes]";
    }
  }

  record OnDisk(String mediaType, Path file, String digest, long size) implements Blob {
    static OnDisk of(String mediaType, Path file) throws IOException {
      Objects.requireNonNull(mediaType, "mediaType");
      MessageDigest md = Digests.sha256();
      long size = 0;
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buffer)) != -1; ) {
          md.update(buffer, 0, n);
          size += n;
        }
      }
      return new OnDisk(mediaType, file, Digests.format(md), size);
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(file);
    }
  }
}
