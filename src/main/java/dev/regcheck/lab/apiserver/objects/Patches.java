package dev.regcheck.lab.apiserver.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API server's merge semantics, on JSON trees:
 * <ul>
 *   <li>JSON merge patch (RFC 7386): objects merge, {@code null} deletes, every list is replaced;</li>
 *   <li>strategic merge patch (apimachinery strategicpatch): as a merge patch, except that lists
 *       with a merge key ({@code containers} by {@code name}, a Service's {@code ports} by
 *       {@code port}, {@code conditions} by {@code type}) merge element by element, lists of
 *       primitives with the merge strategy ({@code finalizers}) are unions, and the directives
 *       {@code $patch} (replace, delete, merge), {@code $retainKeys},
 *       {@code $deleteFromPrimitiveList/<field>} and {@code $setElementOrder/<field>} apply. The
 *       merge keys are those of the Go types of the kinds the lab serves ({@link #MERGE_KEYS}).</li>
 * </ul>
 */
public final class Patches {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String DIRECTIVE = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";
  private static final String ELEMENT_ORDER = "$setElementOrder/";
  /** A list of primitives merged as a set (patchStrategy:"merge" without a key). */
  private static final String SET = "";

  /** Field paths (from the object's root, list elements unnamed) → merge key, per kind. */
  private static final Map<String, String> POD_SPEC = podSpec();
  private static final Map<String, Map<String, String>> MERGE_KEYS = Map.of(
      "Pod", withPrefix("spec.", POD_SPEC, Map.of("status.conditions", "type")),
      "Deployment", withPrefix("spec.template.spec.", POD_SPEC, Map.of("status.conditions", "type")),
      "ReplicaSet", withPrefix("spec.template.spec.", POD_SPEC, Map.of("status.conditions", "type")),
      "Service", Map.of("spec.ports", "port"),
      "PersistentVolumeClaim", Map.of("status.conditions", "type"),
      "ImageStream", Map.of("spec.tags", "name", "status.tags", "tag"));

  private Patches() {}

  private static Map<String, String> podSpec() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String containers : List.of("containers", "initContainers", "ephemeralContainers")) {
      m.put(containers, "name");
      m.put(containers + ".ports", "containerPort");
      m.put(containers + ".env", "name");
      m.put(containers + ".volumeMounts", "mountPath");
      m.put(containers + ".volumeDevices", "devicePath");
      m.put(containers + ".resizePolicy", "resourceName");
    }
    m.put("volumes", "name");
    m.put("imagePullSecrets", "name");
    m.put("hostAliases", "ip");
    m.put("topologySpreadConstraints", "topologyKey");
    m.put("resourceClaims", "name");
    m.put("schedulingGates", "name");
    return m;
  }

  private static Map<String, String> withPrefix(String prefix, Map<String, String> keys, Map<String, String> more) {
    Map<String, String> m = new LinkedHashMap<>(more);
    keys.forEach((k, v) -> m.put(prefix + k, v));
    return Map.copyOf(m);
  }

  /** RFC 7386 on a copy of {@code target}. */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /** A strategic merge patch of an object of {@code kind} on a copy of {@code target}. */
  public static JsonNode strategicMerge(String kind, JsonNode target, JsonNode patch) {
    Map<String, String> keys = new LinkedHashMap<>(MERGE_KEYS.getOrDefault(kind, Map.of()));
    keys.put("metadata.ownerReferences", "uid");
    keys.put("metadata.finalizers", SET);
    return object(keys, "", target != null && target.isObject() ? (ObjectNode) target : NODES.objectNode(), patch);
  }

  private static JsonNode object(Map<String, String> keys, String path, ObjectNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    String directive = patch.path(DIRECTIVE).asText("");
    if (directive.equals("replace")) {
      ObjectNode replaced = ((ObjectNode) patch).deepCopy();
      replaced.remove(DIRECTIVE);
      return replaced;
    }
    ObjectNode result = target.deepCopy();
    if (patch.has(RETAIN_KEYS)) {
      List<String> retain = new ArrayList<>();
      patch.get(RETAIN_KEYS).forEach(k -> retain.add(k.asText()));
      result.retain(retain);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = e.getKey();
      JsonNode value = e.getValue();
      if (field.equals(DIRECTIVE) || field.equals(RETAIN_KEYS) || field.startsWith(ELEMENT_ORDER)) {
        continue;
      }
      if (field.startsWith(DELETE_PRIMITIVE)) {
        String list = field.substring(DELETE_PRIMITIVE.length());
        if (result.get(list) instanceof ArrayNode current) {
          ArrayNode kept = NODES.arrayNode();
          current.forEach(v -> {
            if (!contains(value, v)) {
              kept.add(v);
            }
          });
          result.set(list, kept);
        }
        continue;
      }
      String child = path.isEmpty() ? field : path + "." + field;
      if (value.isNull() || value.isObject() && "delete".equals(value.path(DIRECTIVE).asText())) {
        result.remove(field);
      } else if (value.isArray()) {
        result.set(field, list(keys, child, result.get(field), (ArrayNode) value));
      } else if (value.isObject()) {
        JsonNode current = result.get(field);
        result.set(field, object(keys, child, current instanceof ObjectNode o ? o : NODES.objectNode(), value));
      } else {
        result.set(field, value.deepCopy());
      }
    }
    for (Iterator<String> it = patch.fieldNames(); it.hasNext();) {
      String field = it.next();
      if (field.startsWith(ELEMENT_ORDER) && result.get(field.substring(ELEMENT_ORDER.length())) instanceof ArrayNode list) {
        String name = field.substring(ELEMENT_ORDER.length());
        result.set(name, ordered(list, patch.get(field), keys.get(path.isEmpty() ? name : path + "." + name)));
      }
    }
    return result;
  }

  private static JsonNode list(Map<String, String> keys, String path, JsonNode current, ArrayNode patch) {
    String key = keys.get(path);
    boolean replace = key == null || hasReplaceDirective(patch);
    if (replace || !(current instanceof ArrayNode existing)) {
      ArrayNode out = NODES.arrayNode();
      patch.forEach(v -> {
        if (!(v.isObject() && v.has(DIRECTIVE))) {
          out.add(v.deepCopy());
        }
      });
      return out;
    }
    ArrayNode out = existing.deepCopy();
    if (key.equals(SET)) {
      patch.forEach(v -> {
        if (!contains(out, v)) {
          out.add(v.deepCopy());
        }
      });
      return out;
    }
    for (JsonNode element : patch) {
      JsonNode id = element.get(key);
      Optional<Integer> at = indexOf(out, key, id);
      if ("delete".equals(element.path(DIRECTIVE).asText())) {
        at.ifPresent(i -> out.remove(i));
      } else if (at.isPresent()) {
        out.set(at.get(), object(keys, path, (ObjectNode) out.get(at.get()), element));
      } else {
        out.add(object(keys, path, NODES.objectNode(), element));
      }
    }
    return out;
  }

  private static boolean hasReplaceDirective(ArrayNode patch) {
    for (JsonNode v : patch) {
      if (v.isObject() && "replace".equals(v.path(DIRECTIVE).asText())) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Integer> indexOf(ArrayNode list, String key, JsonNode id) {
    for (int i = 0; i < list.size(); i++) {
      if (id != null && id.equals(list.get(i).get(key))) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static boolean contains(JsonNode list, JsonNode value) {
    for (JsonNode v : list) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** {@code $setElementOrder}: the listed elements in that order, the others after them. */
  private static ArrayNode ordered(ArrayNode list, JsonNode order, String key) {
    ArrayNode out = NODES.arrayNode();
    List<JsonNode> rest = new ArrayList<>();
    list.forEach(rest::add);
    for (JsonNode wanted : order) {
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext();) {
        JsonNode element = it.next();
        boolean same = key == null || key.equals(SET) ? element.equals(wanted)
            : element.get(key) != null && element.get(key).equals(wanted.get(key));
        if (same) {
          out.add(element);
          it.remove();
          break;
        }
      }
    }
    rest.forEach(out::add);
    return out;
  }
}
