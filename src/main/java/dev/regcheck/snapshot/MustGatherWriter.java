package dev.regcheck.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes what {@code oc adm must-gather} collects of the objects the procedure touches, in its
 * layout (oc's inspect path rules): one image folder, {@code cluster-scoped-resources/<group>/<plural>/<name>.yaml}
 * for cluster-scoped objects, a {@code <Kind>List} per kind and inspected namespace in
 * {@code namespaces/<ns>/<group>/<plural>.yaml} (even when empty: that is what proves absence),
 * each pod also singly with its containers' logs, and the {@code timestamp} file. Secrets are redacted as inspect redacts
 * them: each value becomes "N bytes long", except {@code tls.crt}, {@code ca.crt} and
 * {@code service-ca.crt}; a token secret's annotation and last-applied configurations are blanked;
 * a route's {@code spec.tls.key} is emptied; logs pass through the redactor's shapes (stricter than
 * inspect, which writes them as they are).
 */
public final class MustGatherWriter {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final dev.regcheck.result.Redactor REDACT = dev.regcheck.result.Redactor.shapesOnly();
  /** What inspect writes folder names of: the gather image's pullspec with every non-alphanumeric run as "-". */
  static final String IMAGE_FOLDER = "quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-"
      + "0000000000000000000000000000000000000000000000000000000000000000";

  private record Type(String apiVersion, String kind, String plural) {
    String group() {
      return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "core";
    }
  }

  /** Cluster-scoped kinds: one file per object. */
  private static final List<Type> CLUSTER = List.of(
      new Type("imageregistry.operator.openshift.io/v1", "Config", "configs"),
      new Type("config.openshift.io/v1", "ClusterOperator", "clusteroperators"),
      new Type("config.openshift.io/v1", "ClusterVersion", "clusterversions"),
      new Type("config.openshift.io/v1", "Image", "images"),
      new Type("v1", "PersistentVolume", "persistentvolumes"),
      new Type("storage.k8s.io/v1", "StorageClass", "storageclasses"),
      new Type("v1", "Node", "nodes"),
      new Type("v1", "Namespace", "namespaces"));

  /** Namespaced kinds inspect collects of every inspected namespace, as Lists. */
  private static final List<Type> NAMESPACED = List.of(
      new Type("v1", "Pod", "pods"), new Type("v1", "Service", "services"), new Type("v1", "Endpoints", "endpoints"),
      new Type("v1", "PersistentVolumeClaim", "persistentvolumeclaims"), new Type("v1", "ConfigMap", "configmaps"),
      new Type("v1", "Secret", "secrets"), new Type("v1", "Event", "events"),
      new Type("apps/v1", "Deployment", "deployments"), new Type("apps/v1", "ReplicaSet", "replicasets"),
      new Type("route.openshift.io/v1", "Route", "routes"), new Type("image.openshift.io/v1", "ImageStream", "imagestreams"));

  /** The namespaces the image-registry, ingress and authentication operators name in relatedObjects. */
  static final List<String> NAMESPACES = List.of("openshift-image-registry", "openshift-ingress",
      "openshift-ingress-operator", "openshift-config", "openshift-config-managed", "openshift");

  private MustGatherWriter() {}

  /** Writes the capture into {@code dest} (a new or empty folder); returns how many objects it holds. */
  public static int write(KubernetesClient client, Path dest, Instant now) throws IOException {
    Path data = dest.resolve(IMAGE_FOLDER);
    Files.createDirectories(data);
    String time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS").withZone(ZoneOffset.UTC).format(now)
        + " +0000 UTC m=+0.000000001\n";
    Files.writeString(dest.resolve("timestamp"), time, StandardCharsets.UTF_8);
    Files.writeString(data.resolve("timestamp"), time, StandardCharsets.UTF_8);
    Files.writeString(data.resolve("version"), "openshift/must-gather\nregcheck lab gather\n", StandardCharsets.UTF_8);
    int count = 0;
    for (Type type : CLUSTER) {
      for (JsonNode object : list(client, type, null)) {
        String name = object.path("metadata").path("name").asText();
        if (type.kind().equals("Namespace") && !NAMESPACES.contains(name)) {
          continue;
        }
        Path file = type.kind().equals("Namespace") ? data.resolve("namespaces/" + name + "/" + name + ".yaml")
            : data.resolve("cluster-scoped-resources/" + type.group() + "/" + type.plural() + "/" + name + ".yaml");
        yaml(file, object);
        count++;
      }
    }
    for (String namespace : NAMESPACES) {
      for (Type type : NAMESPACED) {
        List<JsonNode> items = list(client, type, namespace);
        ObjectNode list = JSON.createObjectNode().put("apiVersion", type.apiVersion()).put("kind", type.kind() + "List");
        ArrayNode array = list.putArray("items");
        items.forEach(array::add);
        list.putObject("metadata");
        yaml(data.resolve("namespaces/" + namespace + "/" + type.group() + "/" + type.plural() + ".yaml"), list);
        count += items.size();
        if (type.kind().equals("Pod")) {
          for (JsonNode pod : items) {
            String name = pod.path("metadata").path("name").asText();
            yaml(data.resolve("namespaces/" + namespace + "/pods/" + name + "/" + name + ".yaml"), pod);
            logs(client, data.resolve("namespaces/" + namespace + "/pods/" + name), pod);
          }
        }
      }
    }
    return count;
  }

  private static List<JsonNode> list(KubernetesClient client, Type type, String namespace) {
    try {
      var resources = client.genericKubernetesResources(type.apiVersion(), type.kind());
      List<GenericKubernetesResource> items = namespace == null ? resources.list().getItems()
          : resources.inNamespace(namespace).list().getItems();
      return items.stream().map(r -> {
        ObjectNode node = JSON.valueToTree(r);
        node.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        return (JsonNode) Sanitize.asInspect(node);
      }).toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 403) {
        return List.of(); // not served or not permitted: not collected, as inspect leaves it out
      }
      throw e;
    }
  }

  /**
   * Each container's log where inspect writes it: {@code <c>/<c>/logs/current.log}, and
   * {@code previous.log}, which oc creates before it asks (empty when the container never restarted).
   * A log the kubelet cannot give is left out, as inspect leaves it.
   */
  private static void logs(KubernetesClient client, Path podDir, JsonNode pod) throws IOException {
    var resource = client.pods().inNamespace(pod.path("metadata").path("namespace").asText())
        .withName(pod.path("metadata").path("name").asText());
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      String container = status.path("name").asText();
      Path logs = podDir.resolve(container).resolve(container).resolve("logs");
      text(logs.resolve("current.log"), () -> resource.inContainer(container).getLog());
      text(logs.resolve("previous.log"), () -> status.path("restartCount").asInt(0) > 0
          ? resource.inContainer(container).terminated().getLog() : "");
    }
  }

  private static void text(Path file, java.util.function.Supplier<String> read) throws IOException {
    String text;
    try {
      text = read.get();
    } catch (KubernetesClientException e) {
      return;
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, REDACT.redact(text == null ? "" : text), StandardCharsets.UTF_8);
  }

  private static void yaml(Path file, JsonNode node) throws IOException {
    Files.createDirectories(file.getParent());
    // kubectl's printer: every document begins with "---"
    Files.writeString(file, YAML.writeValueAsString(node), StandardCharsets.UTF_8);
  }
}
