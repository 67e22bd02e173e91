package dev.regcheck.registry;

/**
 * What the registry holds under a digest.
 *
 * @param alreadyPresent true only from {@link RegistryClient#pushBlob}: the blob was already in
 *     the repository (HEAD answered 200), so nothing was uploaded
 */
public record Descriptor(String mediaType, String digest, long size, boolean alreadyPresent) {

  public Descriptor(String mediaType, String digest, long size) {
    this(mediaType, digest, size, false);
  }
}
