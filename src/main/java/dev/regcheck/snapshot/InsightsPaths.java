package dev.regcheck.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an Insights archive's file holds when the object in it lacks apiVersion and kind (the
 * operator's typed gets drop them): read from the file's place in the archive
 * (insights-operator docs/gathered-data.md; the paths moved at 4.5–4.7, both are known).
 */
final class InsightsPaths {
  private static final String CONFIG_V1 = "config.openshift.io/v1";
  /** {@code config/<name>.json}: the cluster-wide config singletons. */
  private static final Map<String, String> CONFIGS = Map.of("image", "Image", "ingress", "Ingress", "proxy", "Proxy",
      "version", "ClusterVersion", "infrastructure", "Infrastructure", "network", "Network",
      "authentication", "Authentication", "oauth", "OAuth", "featuregate", "FeatureGate");
  /** {@code config/clusteroperator/<group>/<lower-case kind>/…}: operator configs, spec only. */
  private static final Map<String, String> OPERATOR_KINDS = Map.of("config", "Config", "imagepruner", "ImagePruner",
      "ingresscontroller", "IngressController", "authentication", "Authentication");
  private static final Pattern OPERATOR_CONFIG = Pattern.compile("^config/clusteroperator/([^/]+\\.[^/]+)/([^/]+)/.+\\.json$");

  private InsightsPaths() {}

  /** apiVersion and kind of the object at {@code relative} (from the archive's root), when the path says. */
  static Optional<String[]> typeOf(String relative) {
    Matcher operator = OPERATOR_CONFIG.matcher(relative);
    if (operator.matches() && OPERATOR_KINDS.containsKey(operator.group(2))) {
      return type(operator.group(1) + "/v1", OPERATOR_KINDS.get(operator.group(2)));
    }
    if (relative.matches("^config/clusteroperator/[^/]+\\.json$")) {
      return type(CONFIG_V1, "ClusterOperator");
    }
    if (relative.equals("config/imageregistry.json")) { // before 4.7
      return type("imageregistry.operator.openshift.io/v1", "Config");
    }
    if (relative.equals("config/imagepruner.json")) {
      return type("imageregistry.operator.openshift.io/v1", "ImagePruner");
    }
    if (relative.matches("^config/persistentvolumes/[^/]+\\.json$")) {
      return type("v1", "PersistentVolume");
    }
    if (relative.matches("^config/pod/[^/]+/[^/]+\\.json$")) {
      return type("v1", "Pod");
    }
    if (relative.matches("^conditional/namespaces/[^/]+/imagestreams/[^/]+\\.json$")) {
      return type("image.openshift.io/v1", "ImageStream");
    }
    Matcher config = Pattern.compile("^config/([a-z]+)\\.json$").matcher(relative);
    if (config.matches() && CONFIGS.containsKey(config.group(1))) {
      return type(CONFIG_V1, CONFIGS.get(config.group(1)));
    }
    return Optional.empty();
  }

  private static final Pattern NAMESPACED_OPERATOR_CONFIG =
      Pattern.compile("^config/clusteroperator/[^/]+\\.[^/]+/[^/]+/([^/]+)/[^/]+\\.json$");

  /**
   * Operator configs are stored as apiVersion, kind, a top-level {@code name} and spec: no
   * metadata. Their name moves into metadata, and a namespaced one's namespace is its folder.
   */
  static void completeMetadata(String relative, ObjectNode node) {
    if (!(node.get("metadata") instanceof ObjectNode)) {
      node.putObject("metadata");
    }
    ObjectNode metadata = (ObjectNode) node.get("metadata");
    if (metadata.path("name").asText("").isEmpty() && node.path("name").isTextual()) {
      metadata.put("name", node.get("name").asText());
    }
    Matcher namespaced = NAMESPACED_OPERATOR_CONFIG.matcher(relative);
    if (metadata.path("namespace").asText("").isEmpty() && namespaced.matches()) {
      metadata.put("namespace", namespaced.group(1));
    }
  }

  private static Optional<String[]> type(String apiVersion, String kind) {
    return Optional.of(new String[] {apiVersion, kind});
  }
}
