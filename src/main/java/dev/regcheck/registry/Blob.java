package dev.regcheck.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Content to push: its digest and size are known up front, and {@link #open()} can be called
 * again for a retry. Implementations stream; none holds more than it was given.
 */
public interface Blob {

  /** {@code sha256:<hex>} of the bytes {@link #open()} yields. */
  String digest();

  long size();

  String mediaType();

  /** A new stream over the whole content; the caller closes it. */
  InputStream open() throws IOException;

  /** A blob over a copy of {@code bytes}. */
  static Blob ofBytes(String mediaType, byte[] bytes) {
    return new Blobs.InMemory(mediaType, bytes.clone(), Digests.sha256(bytes));
  }

  /** A blob over a file; the digest is computed once here, streaming. The file must not change. */
  static Blob ofFile(String mediaType, Path file) throws IOException {
    return Blobs.OnDisk.of(mediaType, file);
  }
}
