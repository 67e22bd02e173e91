package dev.regcheck.lab.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The OpenAPI v3 discovery kubectl reads before it creates, applies, replaces or patches
 * ({@code /openapi/v3} and one document per groupVersion). Each document names every kind's
 * operations with {@code x-kubernetes-group-version-kind} and the {@code fieldValidation} query
 * parameter, so kubectl leaves field validation to the server ({@link FieldValidation}), as it does
 * with a real API server. The schemas are open objects: {@code kubectl explain} learns nothing,
 * and client-side apply computes its patches without merge keys (the server merges them).
 */
final class OpenApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String ROOT = "/openapi/v3";
  private static final String HASH = "regcheck-lab-1";

  private final Discovery discovery;

  OpenApi(Discovery discovery) {
    this.discovery = discovery;
  }

  /** The document at {@code path}, if it is one. */
  Optional<String> serve(String path) {
    if (path.equals(ROOT) || path.equals(ROOT + "/")) {
      ObjectNode paths = NODES.objectNode();
      for (String gv : discovery.groupVersions()) {
        String prefix = prefix(gv);
        paths.putObject(prefix.substring(1)).put("serverRelativeURL", ROOT + prefix + "?hash=" + HASH);
      }
      ObjectNode root = NODES.objectNode();
      root.set("paths", paths);
      return Optional.of(root.toString());
    }
    if (!path.startsWith(ROOT + "/")) {
      return Optional.empty();
    }
    String rest = path.substring(ROOT.length());
    return discovery.groupVersions().stream().filter(gv -> prefix(gv).equals(rest)).findFirst().map(this::document);
  }

  private static String prefix(String groupVersion) {
    return groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
  }

  private String document(String groupVersion) {
    String group = groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "";
    String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
    ObjectNode doc = NODES.objectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.29.10");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (Discovery.Kind k : discovery.kinds(groupVersion)) {
      ObjectNode gvk = NODES.objectNode().put("group", group).put("version", version).put("kind", k.kind());
      String base = prefix(groupVersion) + (k.namespaced() ? "/namespaces/{namespace}/" : "/") + k.plural();
      ObjectNode collection = paths.putObject(base);
      collection.set("get", operation(gvk, "list"));
      collection.set("post", operation(gvk, "create"));
      ObjectNode item = paths.putObject(base + "/{name}");
      for (String verb : new String[] {"get", "put", "patch", "delete"}) {
        item.set(verb, operation(gvk, verb));
      }
      ObjectNode schema = schemas.putObject(schemaName(group, version, k.kind()));
      schema.put("type", "object");
      schema.putArray("x-kubernetes-group-version-kind").add(gvk.deepCopy());
    }
    return doc.toString();
  }

  private static String schemaName(String group, String version, String kind) {
    return group.isEmpty() ? "io.k8s.api.core." + version + "." + kind
        : "com.github.openshift.api." + group.replace('.', '_') + "." + version + "." + kind;
  }

  private static ObjectNode operation(ObjectNode gvk, String verb) {
    ObjectNode op = NODES.objectNode();
    op.put("operationId", verb + gvk.get("kind").asText());
    op.set("x-kubernetes-group-version-kind", gvk.deepCopy());
    op.put("x-kubernetes-action", verb);
    ArrayNode parameters = op.putArray("parameters");
    if (verb.equals("create") || verb.equals("put") || verb.equals("patch")) {
      parameters.addObject().put("name", "fieldValidation").put("in", "query").putObject("schema").put("type", "string");
      parameters.addObject().put("name", "fieldManager").put("in", "query").putObject("schema").put("type", "string");
      parameters.addObject().put("name", "dryRun").put("in", "query").putObject("schema").put("type", "string");
    }
    op.putObject("responses").putObject("200").put("description", "OK");
    return op;
  }
}
