package dev.regcheck.registry;

import java.nio.charset.StandardCharsets;

/**
 * A manifest as served: the exact bytes (verified against {@link #digest()}), the media type from
 * {@code Content-Type}, and the digest.
 */
public record Manifest(String mediaType, String digest, byte[] bytes) {

  public Manifest {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Manifest[" + mediaType + " " + digest + " " + bytes.length + " bytes]";
  }
}
