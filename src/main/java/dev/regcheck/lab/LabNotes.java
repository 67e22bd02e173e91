package dev.regcheck.lab;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded lab's notes to the harness: ConfigMap {@code default/regcheck-lab}, which no real
 * cluster has, saying which of the lab's real parts could not run here and why (the checks that
 * need that part SKIP with the reason instead of failing).
 */
public final class LabNotes {
  public static final String CONFIGMAP = "regcheck-lab";
  public static final String NAMESPACE = "default";
  /** Why the lab runs no NFS server. */
  public static final String NFS_UNAVAILABLE = "nfsUnavailable";
  /** Why the lab runs no router. */
  public static final String ROUTER_UNAVAILABLE = "routerUnavailable";

  private LabNotes() {}

  /** The note under {@code key}, when the lab wrote one. */
  public static Optional<String> read(KubernetesClient client, String key) {
    ConfigMap notes = client.configMaps().inNamespace(NAMESPACE).withName(CONFIGMAP).get();
    return Optional.ofNullable(notes == null || notes.getData() == null ? null : notes.getData().get(key))
        .filter(reason -> !reason.isBlank());
  }

  static void write(KubernetesClient client, String key, String value) {
    ConfigMap notes = client.configMaps().inNamespace(NAMESPACE).withName(CONFIGMAP).get();
    if (notes == null) {
      client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
          .withNewMetadata().withName(CONFIGMAP).withNamespace(NAMESPACE).endMetadata()
          .addToData(key, value).build()).create();
    } else {
      Map<String, String> data = new HashMap<>(Optional.ofNullable(notes.getData()).orElse(Map.of()));
      data.put(key, value);
      notes.setData(data);
      client.configMaps().inNamespace(NAMESPACE).resource(notes).update();
    }
  }
}
