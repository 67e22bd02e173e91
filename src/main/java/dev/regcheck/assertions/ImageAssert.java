package dev.regcheck.assertions;

import io.fabric8.openshift.api.model.Image;
import io.fabric8.openshift.api.model.ImageStream;
import java.util.List;

/** Assertions on an Image object the registry recorded for a push (S08.7, S09). */
public final class ImageAssert extends DomainAssert<ImageAssert, Image> {
  private final String digest;

  ImageAssert(Image image, String digest) {
    super(image, ImageAssert.class);
    this.digest = digest;
  }

  /** The Image exists: the stream has the digest, so the registry recorded it ({@code stream} is the evidence). */
  public ImageAssert isRecordedWith(ImageStream stream) {
    if (actual == null) {
      throw new CheckFailure("the push stored " + digest + " and image stream " + stream.getMetadata().getNamespace()
          + "/" + stream.getMetadata().getName() + " has it, but Image " + digest + " does not exist",
          List.of(new CheckFailure.Evidence("imagestream.yaml", Yaml.of(stream))));
    }
    return this;
  }

  /** {@code dockerImageReference} is {@code <internal hostname>/<repo>@<digest>}. */
  public ImageAssert hasReference(String reference) {
    if (!reference.equals(actual.getDockerImageReference())) {
      throw new CheckFailure("Image " + digest + " has dockerImageReference '" + actual.getDockerImageReference()
          + "', expected '" + reference + "'", List.of(new CheckFailure.Evidence("image.yaml", Yaml.of(actual))));
    }
    return this;
  }
}
