package dev.regcheck.lab.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.regcheck.lab.apiserver.objects.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lab's schema of the registry config against the real CRD. The CRD copies are openshift/api's
 * {@code configs.imageregistry.operator.openshift.io} manifests of release-4.14, release-4.18 and
 * main (Apache-2.0), read in place from the workspace's captures folder, which a user's clone does
 * not have: there the comparison is skipped, saying so.
 */
class SchemasTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path CAPTURES = Path.of("../shared/captures/openshift-api-crd");

  static Stream<Path> crds() throws IOException {
    if (!Files.isDirectory(CAPTURES)) {
      return Stream.of(Path.of("(no CRD copies: " + CAPTURES + " is absent)"));
    }
    try (Stream<Path> files = Files.walk(CAPTURES)) {
      List<Path> found = files.filter(f -> f.toString().contains("/imageregistry/v1/") && (f.getFileName().toString()
          .equals("00_configs.crd.yaml") || f.getFileName().toString().equals("00_imageregistry.crd.yaml"))).sorted().toList();
      return found.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crds")
  @DisplayName("every rule of the lab's registry-config schema is the CRD's own (type, pattern, enum, required, default)")
  void labRulesAreTheCrds(Path crd) throws IOException {
    assumeTrue(Files.isRegularFile(crd), "the openshift/api CRD copies are not in this checkout (" + CAPTURES
        + "): the comparison needs the workspace's captures");
    JsonNode schema = v1Schema(YAML.readTree(crd.toFile()));
    assertThat(schema.isMissingNode()).as("v1 openAPIV3Schema in " + crd).isFalse();
    List<String> differences = new ArrayList<>();
    for (Schemas.Rule rule : Schemas.REGISTRY_CONFIG) {
      JsonNode at = navigate(schema, rule.path());
      if (at.isMissingNode()) {
        differences.add(rule.path() + ": not in the CRD");
        continue;
      }
      if (rule.type() != null && !rule.type().equals(at.path("type").asText())) {
        differences.add(rule.path() + ": type " + rule.type() + " vs " + at.path("type").asText());
      }
      if (rule.pattern() != null && !rule.pattern().equals(at.path("pattern").asText())) {
        differences.add(rule.path() + ": pattern " + rule.pattern() + " vs " + at.path("pattern").asText());
      }
      List<String> values = new ArrayList<>();
      at.path("enum").forEach(v -> values.add(v.asText()));
      if (!rule.values().equals(values)) {
        differences.add(rule.path() + ": enum " + rule.values() + " vs " + values);
      }
      List<String> required = new ArrayList<>();
      at.path("required").forEach(v -> required.add(v.asText()));
      if (!required.containsAll(rule.required())) {
        differences.add(rule.path() + ": required " + rule.required() + " vs " + required);
      }
      String crdDefault = at.has("default") ? at.get("default").asText() : null;
      if (!Objects.equals(rule.defaultValue(), crdDefault)) {
        differences.add(rule.path() + ": default " + rule.defaultValue() + " vs " + crdDefault);
      }
    }
    assertThat(differences).as("the lab's rules that differ from " + crd).isEmpty();
  }

  @Test
  @DisplayName("a bad managementState is 422 with the API server's words; logLevel defaults to Normal; a good config passes")
  void validatesAsTheApiServer() throws IOException {
    ObjectNode bad = (ObjectNode) JSON.readTree("{\"spec\":{\"managementState\":\"Manage\",\"replicas\":1,"
        + "\"routes\":[{\"hostname\":\"r.example.com\"}],\"storage\":{\"managementState\":\"Yes\"}}}");
    assertThat(Schemas.validate("imageregistry.operator.openshift.io", "Config", bad)).containsExactly(
        "spec.managementState: Invalid value: \"Manage\": spec.managementState in body should match "
            + "'^(Managed|Unmanaged|Force|Removed)$'",
        "spec.routes[0].name: Required value",
        "spec.storage.managementState: Invalid value: \"Yes\": spec.storage.managementState in body should match "
            + "'^(Managed|Unmanaged)$'");
    ObjectNode good = (ObjectNode) JSON.readTree("{\"spec\":{\"managementState\":\"Managed\",\"replicas\":2}}");
    assertThat(Schemas.validate("imageregistry.operator.openshift.io", "Config", good)).isEmpty();
    assertThat(good.path("spec").path("logLevel").asText()).isEqualTo("Normal");
    assertThat(good.path("spec").path("operatorLogLevel").asText()).isEqualTo("Normal");
    ObjectNode noReplicas = (ObjectNode) JSON.readTree("{\"spec\":{\"managementState\":\"Managed\"}}");
    assertThat(Schemas.validate("imageregistry.operator.openshift.io", "Config", noReplicas))
        .containsExactly("spec.replicas: Required value");
    ObjectNode pv = (ObjectNode) JSON.readTree("{\"spec\":{\"capacity\":{\"storage\":\"1Gi\"},\"accessModes\":"
        + "[\"ReadWriteMany\",\"ReadWriteAll\"],\"persistentVolumeReclaimPolicy\":\"Retian\",\"nfs\":{\"server\":\"x\"}}}");
    assertThat(Schemas.validate("", "PersistentVolume", pv)).containsExactly(
        "spec.accessModes[1]: Unsupported value: \"ReadWriteAll\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", "
            + "\"ReadWriteOnce\", \"ReadWriteOncePod\"",
        "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Retian\": supported values: \"Delete\", \"Recycle\", "
            + "\"Retain\"",
        "spec.nfs.path: Required value");
  }

  /** The version's openAPIV3Schema (v1 CRD layout). */
  private static JsonNode v1Schema(JsonNode crd) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if ("v1".equals(v.path("name").asText())) {
        return v.path("schema").path("openAPIV3Schema");
      }
    }
    return crd.path("spec").path("validation").path("openAPIV3Schema");
  }

  private static JsonNode navigate(JsonNode schema, String path) {
    JsonNode at = schema;
    for (String part : path.split("\\.")) {
      boolean items = part.endsWith("[]");
      at = at.path("properties").path(items ? part.substring(0, part.length() - 2) : part);
      if (items) {
        at = at.path("items");
      }
    }
    return at;
  }
}
