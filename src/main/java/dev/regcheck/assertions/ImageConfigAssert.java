package dev.regcheck.assertions;

import io.fabric8.openshift.api.model.config.v1.Image;
import java.util.List;

/** Assertions on the cluster's image config, {@code images.config.openshift.io/cluster} (S08.2). */
public final class ImageConfigAssert extends DomainAssert<ImageConfigAssert, Image> {

  ImageConfigAssert(Image config) {
    super(config, ImageConfigAssert.class);
  }

  public ImageConfigAssert exists() {
    return present("images.config.openshift.io/cluster");
  }

  /** The internal hostname the operator publishes for builds and image streams. */
  public ImageConfigAssert publishesInternalHostname(String expected) {
    String hostname = internalHostname();
    if (!expected.equals(hostname)) {
      throw new CheckFailure("status.internalRegistryHostname of images.config.openshift.io/cluster is "
          + (hostname == null || hostname.isEmpty() ? "not set" : "'" + hostname + "'") + ", expected '" + expected + "'",
          List.of(new CheckFailure.Evidence("image-config.yaml", Yaml.of(actual))));
    }
    return this;
  }

  private String internalHostname() {
    return actual.getStatus() == null ? null : actual.getStatus().getInternalRegistryHostname();
  }
}
