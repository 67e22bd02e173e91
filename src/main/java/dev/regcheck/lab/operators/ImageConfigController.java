package dev.regcheck.lab.operators;

import dev.regcheck.lab.core.WellKnown;
import io.fabric8.openshift.api.model.config.v1.Image;
import io.fabric8.openshift.api.model.config.v1.ImageStatus;
import io.fabric8.openshift.client.OpenShiftClient;
import java.util.List;
import java.util.Objects;

/**
 * CIRO's image-config controller: publishes the registry's internal and external hostnames in
 * {@code images.config.openshift.io/cluster}. Fault hostname-not-published: {@link #stuck()}, it
 * never writes.
 */
final class ImageConfigController {
  private final OpenShiftClient client;
  private final String namespace;
  private final RegistryRoutes routes;
  private boolean stuck;

  ImageConfigController(OpenShiftClient client, String namespace, RegistryRoutes routes) {
    this.client = client;
    this.namespace = namespace;
    this.routes = routes;
  }

  void stuck() {
    stuck = true;
  }

  /**
   * imageconfig.go: the internal hostname whenever the Service exists (Managed or Unmanaged), none
   * once Removed has deleted it; the external hostnames are the hosts of the operator's routes,
   * default-route first, then the others in {@code spec.routes} order (none: the field is cleared).
   */
  void sync(String state) {
    Image image = client.config().images().withName(WellKnown.REGISTRY_CONFIG).get();
    if (image == null || stuck) {
      return;
    }
    boolean serviceExists = client.services().inNamespace(namespace)
        .withName(WellKnown.REGISTRY).get() != null;
    String wanted = !state.equals("Removed") && serviceExists ? WellKnown.REGISTRY_SERVER_ADDR : null;
    List<String> external = state.equals("Removed") ? null : routes.externalHostnames();
    String have = image.getStatus() == null ? null : image.getStatus().getInternalRegistryHostname();
    List<String> haveExternal = image.getStatus() == null ? null : image.getStatus().getExternalRegistryHostnames();
    if (Objects.equals(wanted, have) && Objects.equals(external, haveExternal == null || haveExternal.isEmpty()
        ? null : haveExternal)) {
      return;
    }
    Image update = Copies.copy(image);
    if (update.getStatus() == null) {
      update.setStatus(new ImageStatus());
    }
    update.getStatus().setInternalRegistryHostname(wanted);
    update.getStatus().setExternalRegistryHostnames(external);
    client.resource(update).updateStatus();
  }
}
