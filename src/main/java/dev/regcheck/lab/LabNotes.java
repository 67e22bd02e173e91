package dev.regcheck.lab;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
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

  /**
   * The embedded lab's DNS: where its router answers for {@code *.<apps domain>}, in ConfigMap
   * {@code kube-public/regcheck-lab-dns}, readable by anyone (as kube-public's cluster-info is), so
   * that a workstation whose session the API refuses still finds the OAuth route to log in again,
   * as DNS would let it on a real cluster.
   */
  public static final String DNS_CONFIGMAP = "regcheck-lab-dns";
  public static final String DNS_NAMESPACE = "kube-public";

  private LabNotes() {}

  /** The lab's DNS entries (host pattern → address:port); empty on anything but an embedded lab. */
  public static Map<String, String> dns(KubernetesClient anyClient) {
    ConfigMap dns = readable(() -> anyClient.configMaps().inNamespace(DNS_NAMESPACE).withName(DNS_CONFIGMAP).get());
    return dns == null || dns.getData() == null ? Map.of() : Map.copyOf(dns.getData());
  }

  /**
   * The notes' ConfigMap, or null when there is none to read: a real cluster has none, and an
   * identity that may not read ConfigMaps there (403), or a capture that did not collect it, has
   * no notes either; the lab's notes never decide a verdict by being unreadable.
   */
  private static ConfigMap readable(java.util.function.Supplier<ConfigMap> get) {
    try {
      return get.get();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  static void publishDns(KubernetesClient client, Map<String, String> hosts) {
    client.configMaps().inNamespace(DNS_NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(DNS_CONFIGMAP).withNamespace(DNS_NAMESPACE).endMetadata().addToData(hosts).build()).create();
    client.rbac().roles().inNamespace(DNS_NAMESPACE).resource(new RoleBuilder().withNewMetadata()
        .withName("regcheck-lab-dns-reader").withNamespace(DNS_NAMESPACE).endMetadata()
        .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get").endRule().build()).create();
    client.rbac().roleBindings().inNamespace(DNS_NAMESPACE).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("regcheck-lab-dns-readers").withNamespace(DNS_NAMESPACE).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("regcheck-lab-dns-reader")
        .endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName("system:unauthenticated")
        .endSubject()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName("system:authenticated")
        .endSubject().build()).create();
  }

  /** The note under {@code key}, when the lab wrote one. */
  public static Optional<String> read(KubernetesClient client, String key) {
    ConfigMap notes = readable(() -> client.configMaps().inNamespace(NAMESPACE).withName(CONFIGMAP).get());
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
