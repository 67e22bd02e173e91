package dev.regcheck.lab.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.openshift.api.model.Image;
import io.fabric8.openshift.api.model.ImageBuilder;
import io.fabric8.openshift.api.model.ImageLayer;
import io.fabric8.openshift.api.model.ImageLayerBuilder;
import io.fabric8.openshift.api.model.ImageStream;
import io.fabric8.openshift.api.model.ImageStreamBuilder;
import io.fabric8.openshift.api.model.NamedTagEventList;
import io.fabric8.openshift.api.model.TagEvent;
import io.fabric8.openshift.api.model.TagEventBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.WellKnown;

/**
 * What OpenShift's registry does in the API when a manifest is pushed (image-registry
 * server/manifestservice.go {@code Put}; openshift-facts.md §6): creates Image {@code sha256:…}
 * with {@code dockerImageReference} {@code <internal hostname>/<ns>/<name>@<digest>} and the
 * managed annotations, creates the ImageStream if absent, and puts the image at the head of the
 * tag's history (an ImageStreamMapping). Here it runs on the registry's push notification, read
 * from the registry's storage, so it happens within about a second of the push instead of inside
 * the manifest PUT.
 */
public final class ImageRecorder {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String MANAGED = "openshift.io/image.managed";
  static final String BLOB_STORED = "image.openshift.io/manifestBlobStored";
  static final String LAYERS_ORDER = "image.openshift.io/dockerLayersOrder";

  private final OpenShiftClient client;
  private final RegistryFiles files;

  /** IMAGE_HELD: a finalizer some other controller put on every Image and never removes. */
  static final String HOLD_FINALIZER = "images.example.com/scan-hold";

  /** BLOB_CORRUPTION: the storage damages every pushed layer (one flipped byte) once it is recorded. */
  private final boolean corruptLayers;
  private final Set<String> corrupted = ConcurrentHashMap.newKeySet();
  private final boolean holdImages;

  public ImageRecorder(OpenShiftClient client, RegistryFiles files, boolean corruptLayers, boolean holdImages) {
    this.client = client;
    this.files = files;
    this.corruptLayers = corruptLayers;
    this.holdImages = holdImages;
  }

  /**
   * A manifest was pushed to {@code ns/name}, by tag (tag non-null) or by digest. The stream's
   * update can race an image-stream-tag deletion: a conflict is retried on a fresh read.
   */
  synchronized void pushed(String repository, String tag, String digest, String mediaType)
      throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        record(repository, tag, digest, mediaType);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 4) {
          throw e;
        }
      }
    }
  }

  private void record(String repository, String tag, String digest, String mediaType) throws IOException {
    String[] nsName = repository.split("/");
    if (nsName.length != 2) {
      return; // the OpenShift registry refuses other names; nothing to record
    }
    Optional<byte[]> manifest = files.blob(digest);
    if (manifest.isEmpty()) {
      return;
    }
    String reference = WellKnown.REGISTRY_SERVER_ADDR + "/" + repository + "@" + digest;
    if (client.images().withName(digest).get() == null) {
      Image image = image(digest, reference, mediaType, JSON.readTree(manifest.get()));
      if (holdImages) {
        image.getMetadata().setFinalizers(List.of(HOLD_FINALIZER));
      }
      client.images().resource(image).create();
    }
    if (corruptLayers) {
      for (JsonNode layer : JSON.readTree(manifest.get()).path("layers")) {
        // once per blob: a second push of the same layer is skipped by the client (HEAD), and
        // flipping the byte again would repair it
        if (corrupted.add(layer.path("digest").asText())) {
          files.corrupt(layer.path("digest").asText());
        }
      }
    }
    ImageStream stream = client.imageStreams().inNamespace(nsName[0]).withName(nsName[1]).get();
    if (stream == null) {
      stream = client.imageStreams().inNamespace(nsName[0]).resource(new ImageStreamBuilder()
          .withNewMetadata().withName(nsName[1]).withNamespace(nsName[0]).endMetadata()
          .withNewSpec().withNewLookupPolicy().withLocal(false).endLookupPolicy().endSpec()
          .withNewStatus().withDockerImageRepository(WellKnown.REGISTRY_SERVER_ADDR + "/" + repository)
          .endStatus().build()).create();
    }
    if (tag == null) {
      return;
    }
    List<NamedTagEventList> tags = new ArrayList<>(stream.getStatus().getTags() == null ? List.of()
        : stream.getStatus().getTags());
    NamedTagEventList history = tags.stream().filter(t -> tag.equals(t.getTag())).findFirst()
        .orElseGet(() -> {
          NamedTagEventList fresh = new NamedTagEventList();
          fresh.setTag(tag);
          fresh.setItems(new ArrayList<>());
          tags.add(fresh);
          return fresh;
        });
    List<TagEvent> items = new ArrayList<>(history.getItems() == null ? List.of() : history.getItems());
    if (!items.isEmpty() && digest.equals(items.get(0).getImage())) {
      return;
    }
    long generation = Optional.ofNullable(stream.getMetadata().getGeneration()).orElse(1L);
    items.add(0, new TagEventBuilder().withCreated(Times.now()).withDockerImageReference(reference)
        .withImage(digest).withGeneration(generation).build());
    history.setItems(items);
    stream.getStatus().setTags(tags);
    client.imageStreams().inNamespace(nsName[0]).resource(stream).update();
  }

  private Image image(String digest, String reference, String mediaType, JsonNode manifest)
      throws IOException {
    List<ImageLayer> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(new ImageLayerBuilder().withName(layer.path("digest").asText())
          .withSize(layer.path("size").asLong()).withMediaType(layer.path("mediaType").asText()).build());
    }
    ImageBuilder image = new ImageBuilder().withNewMetadata().withName(digest)
        .addToAnnotations(MANAGED, "true").addToAnnotations(BLOB_STORED, "true")
        .addToAnnotations(LAYERS_ORDER, "ascending").endMetadata()
        .withDockerImageReference(reference)
        .withDockerImageManifestMediaType(manifest.path("mediaType").asText(mediaType))
        .withDockerImageLayers(layers).withDockerImageMetadataVersion("1.0");
    String configDigest = manifest.path("config").path("digest").asText(null);
    if (configDigest != null) {
      Optional<byte[]> config = files.blob(configDigest);
      if (config.isPresent()) {
        image.withDockerImageMetadata(metadata(configDigest, JSON.readTree(config.get())));
      }
    }
    return image.build();
  }

  /** The DockerImage summary OpenShift stores as {@code dockerImageMetadata}. */
  private static Map<String, Object> metadata(String configDigest, JsonNode config) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "DockerImage");
    m.put("apiVersion", "image.openshift.io/1.0");
    m.put("Id", configDigest);
    m.put("Created", config.path("created").asText(null));
    m.put("Architecture", config.path("architecture").asText(null));
    m.put("Config", JSON.convertValue(config.path("config"), Map.class));
    return m;
  }
}
