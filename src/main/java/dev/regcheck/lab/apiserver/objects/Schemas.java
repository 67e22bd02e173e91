package dev.regcheck.lab.apiserver.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The lab's own schema for the fields the procedure writes, as the API server validates them: the
 * registry config by the rules its CRD states (patterns, enums, required fields, defaults; a test
 * holds these rules against copies of the real CRD of three releases), and Route, PersistentVolume
 * and PersistentVolumeClaim by the rules kube-apiserver's and openshift-apiserver's validation
 * apply to them. Messages are the real servers' ({@code spec.managementState: Invalid value:
 * "Manage": spec.managementState in body should match '^(Managed|Unmanaged|Force|Removed)$'}).
 * What the schema accepts and an operator refuses later (two storage types, negative replicas, a
 * route named default-route) is left to the operator, as on a cluster.
 */
public final class Schemas {

  /**
   * One rule on the value at {@code path} ({@code spec.routes[].name}: every item's name).
   *
   * @param type JSON type the value must have (null: any)
   * @param pattern regular expression a string must match (CRD {@code pattern})
   * @param values the allowed values (CRD {@code enum}; a built-in type's supported values)
   * @param required child fields that must be present when the value is
   * @param defaultValue written when the field is absent and its parent present (CRD {@code default})
   */
  public record Rule(String path, String type, String pattern, List<String> values, List<String> required,
      String defaultValue) {
    static Rule pattern(String path, String pattern) {
      return new Rule(path, "string", pattern, List.of(), List.of(), null);
    }

    static Rule oneOf(String path, String defaultValue, String... values) {
      return new Rule(path, "string", null, List.of(values), List.of(), defaultValue);
    }

    static Rule type(String path, String type) {
      return new Rule(path, type, null, List.of(), List.of(), null);
    }

    static Rule requires(String path, String... children) {
      return new Rule(path, "object", null, List.of(), List.of(children), null);
    }
  }

  private static final String LOG_LEVEL_DEFAULT = "Normal";

  /** configs.imageregistry.operator.openshift.io (openshift/api imageregistry/v1, CRD schema). */
  public static final List<Rule> REGISTRY_CONFIG = List.of(
      Rule.requires("spec", "replicas"),
      Rule.pattern("spec.managementState", "^(Managed|Unmanaged|Force|Removed)$"),
      Rule.oneOf("spec.logLevel", LOG_LEVEL_DEFAULT, "", "Normal", "Debug", "Trace", "TraceAll"),
      Rule.oneOf("spec.operatorLogLevel", LOG_LEVEL_DEFAULT, "", "Normal", "Debug", "Trace", "TraceAll"),
      Rule.type("spec.replicas", "integer"),
      Rule.type("spec.defaultRoute", "boolean"),
      Rule.pattern("spec.rolloutStrategy", "^(RollingUpdate|Recreate)$"),
      Rule.requires("spec.routes[]", "name"),
      Rule.type("spec.routes[].hostname", "string"),
      Rule.type("spec.routes[].secretName", "string"),
      Rule.pattern("spec.storage.managementState", "^(Managed|Unmanaged)$"),
      Rule.type("spec.storage.pvc.claim", "string"));

  /** route.openshift.io Route: the fields the procedure and the operator write. */
  static final List<Rule> ROUTE = List.of(
      Rule.requires("spec", "to"),
      Rule.requires("spec.to", "name"),
      Rule.pattern("spec.host", "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
      Rule.oneOf("spec.tls.termination", null, "edge", "passthrough", "reencrypt"),
      Rule.oneOf("spec.tls.insecureEdgeTerminationPolicy", null, "", "Allow", "None", "Redirect"));

  private static final String[] ACCESS_MODES = {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"};

  /** v1 PersistentVolume: the document's pv.yaml fields. */
  static final List<Rule> PERSISTENT_VOLUME = List.of(
      Rule.requires("spec", "capacity", "accessModes"),
      Rule.oneOf("spec.accessModes[]", null, ACCESS_MODES),
      Rule.oneOf("spec.persistentVolumeReclaimPolicy", null, "Delete", "Recycle", "Retain"),
      Rule.requires("spec.nfs", "server", "path"));

  /** v1 PersistentVolumeClaim: the document's pvc.yaml fields. */
  static final List<Rule> PERSISTENT_VOLUME_CLAIM = List.of(
      Rule.requires("spec", "accessModes"),
      Rule.oneOf("spec.accessModes[]", null, ACCESS_MODES),
      Rule.requires("spec.resources.requests", "storage"));

  private static final Map<String, List<Rule>> BY_KIND = Map.of(
      "imageregistry.operator.openshift.io/Config", REGISTRY_CONFIG,
      "route.openshift.io/Route", ROUTE,
      "/PersistentVolume", PERSISTENT_VOLUME,
      "/PersistentVolumeClaim", PERSISTENT_VOLUME_CLAIM);

  private Schemas() {}

  /**
   * Writes the schema's defaults into {@code object} and returns its violations, each as the API
   * server words a cause ({@code field: Reason: detail}); empty when it is valid or its kind has no rules.
   */
  public static List<String> validate(String group, String kind, ObjectNode object) {
    List<Rule> rules = BY_KIND.getOrDefault(group + "/" + kind, List.of());
    List<String> causes = new ArrayList<>();
    for (Rule rule : rules) {
      for (Located at : locate(object, rule.path())) {
        check(rule, at, causes);
      }
      if (rule.defaultValue() != null) {
        applyDefault(object, rule);
      }
    }
    return causes;
  }

  private record Located(String path, JsonNode value) {}

  /** The values at a rule's path; {@code []} expands every item of an array, named by its index. */
  private static List<Located> locate(JsonNode root, String path) {
    List<Located> at = List.of(new Located("", root));
    for (String part : path.split("\\.")) {
      boolean items = part.endsWith("[]");
      String name = items ? part.substring(0, part.length() - 2) : part;
      List<Located> next = new ArrayList<>();
      for (Located l : at) {
        JsonNode child = l.value().get(name);
        if (child == null || child.isNull()) {
          continue;
        }
        String childPath = l.path().isEmpty() ? name : l.path() + "." + name;
        if (!items) {
          next.add(new Located(childPath, child));
        } else if (child.isArray()) {
          for (int i = 0; i < child.size(); i++) {
            next.add(new Located(childPath + "[" + i + "]", child.get(i)));
          }
        }
      }
      at = next;
    }
    return at;
  }

  private static void check(Rule rule, Located at, List<String> causes) {
    JsonNode v = at.value();
    if (rule.type() != null && !hasType(v, rule.type())) {
      causes.add(at.path() + ": Invalid value: \"" + typeName(v) + "\": " + at.path() + " in body must be of type "
          + rule.type() + ": \"" + typeName(v) + "\"");
      return;
    }
    if (rule.pattern() != null && !Pattern.compile(rule.pattern()).matcher(v.asText()).find()) {
      causes.add(at.path() + ": Invalid value: \"" + v.asText() + "\": " + at.path() + " in body should match '"
          + rule.pattern() + "'");
    }
    if (!rule.values().isEmpty() && !rule.values().contains(v.asText())) {
      causes.add(at.path() + ": Unsupported value: \"" + v.asText() + "\": supported values: "
          + rule.values().stream().map(x -> "\"" + x + "\"").collect(Collectors.joining(", ")));
    }
    for (String child : rule.required()) {
      if (!v.has(child) || v.get(child).isNull()) {
        causes.add(at.path() + "." + child + ": Required value");
      }
    }
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "boolean" -> v.isBoolean();
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      default -> true;
    };
  }

  private static String typeName(JsonNode v) {
    return v.isTextual() ? "string" : v.isIntegralNumber() ? "integer" : v.isNumber() ? "number"
        : v.isBoolean() ? "boolean" : v.isArray() ? "array" : v.isObject() ? "object" : "null";
  }

  private static void applyDefault(ObjectNode object, Rule rule) {
    int dot = rule.path().lastIndexOf('.');
    String field = rule.path().substring(dot + 1);
    for (Located parent : locate(object, rule.path().substring(0, dot))) {
      if (parent.value() instanceof ObjectNode o && !o.has(field)) {
        o.put(field, rule.defaultValue());
      }
    }
  }
}
