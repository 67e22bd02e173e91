package dev.regcheck.lab.apiserver.objects;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API server's field validation (fieldValidation=Strict|Warn|Ignore): the fields of a request
 * body that the kind's schema does not have. The schema is fabric8's model class of the kind, which
 * keeps what it does not know in {@code additionalProperties}: the body is read into the class,
 * those maps are emptied, and whatever of the body does not come back out is unknown.
 * Empty values of unknown fields ({@code foo: {}}) pass unnoticed; kinds fabric8 does not model
 * are not checked.
 */
public final class FieldValidation {
  private FieldValidation() {}

  /** The unknown fields of {@code body}, as paths ({@code spec.foo}, {@code spec.ports[0].bar}). */
  public static List<String> unknownFields(JsonNode body) {
    KubernetesResource typed;
    try {
      typed = Serialization.unmarshal(body.toString());
    } catch (RuntimeException e) {
      return List.of();
    }
    if (typed == null || typed instanceof GenericKubernetesResource) {
      return List.of();
    }
    forgetUnknown(typed, Collections.newSetFromMap(new IdentityHashMap<>()));
    JsonNode known = Serialization.jsonMapper().valueToTree(typed);
    List<String> unknown = new ArrayList<>();
    compare(body, known, "", unknown);
    return unknown;
  }

  /** Drops the unknown fields, as decoding into the kind's type does under Warn and Ignore. */
  public static void prune(JsonNode body, List<String> unknown) {
    for (String path : unknown) {
      JsonNode node = body;
      String[] steps = path.split("\\.");
      for (int i = 0; i < steps.length && node != null; i++) {
        String step = steps[i];
        int bracket = step.indexOf('[');
        String field = bracket < 0 ? step : step.substring(0, bracket);
        if (i == steps.length - 1 && bracket < 0) {
          if (node instanceof ObjectNode object) {
            object.remove(field);
          }
          break;
        }
        node = node.get(field);
        while (node != null && bracket >= 0) {
          int close = step.indexOf(']', bracket);
          node = node.get(Integer.parseInt(step.substring(bracket + 1, close)));
          bracket = step.indexOf('[', close);
        }
      }
    }
  }

  /** The API server's words for a body with unknown fields. */
  public static String strictError(String kind, String version, List<String> unknown) {
    StringBuilder sb = new StringBuilder(kind + " in version \"" + version + "\" cannot be handled as a " + kind
        + ": strict decoding error: ");
    for (int i = 0; i < unknown.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append("unknown field \"").append(unknown.get(i)).append('"');
    }
    return sb.toString();
  }

  private static void compare(JsonNode body, JsonNode known, String path, List<String> unknown) {
    if (body.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        JsonNode other = known == null ? null : known.get(e.getKey());
        if (other == null) {
          if (!empty(e.getValue())) {
            unknown.add(child);
          }
        } else {
          compare(e.getValue(), other, child, unknown);
        }
      }
    } else if (body.isArray() && known != null && known.isArray()) {
      for (int i = 0; i < body.size() && i < known.size(); i++) {
        compare(body.get(i), known.get(i), path + "[" + i + "]", unknown);
      }
    }
  }

  private static boolean empty(JsonNode value) {
    return value == null || value.isNull() || (value.isContainerNode() && value.isEmpty());
  }

  /** Empties every additionalProperties map of the model object graph. */
  private static void forgetUnknown(Object o, Set<Object> seen) {
    if (o == null || !seen.add(o)) {
      return;
    }
    if (o instanceof List<?> list) {
      list.forEach(v -> forgetUnknown(v, seen));
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.values().forEach(v -> forgetUnknown(v, seen));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object value = m.invoke(o);
        if (m.getName().equals("getAdditionalProperties") && value instanceof Map<?, ?> extra) {
          extra.clear();
        } else {
          forgetUnknown(value, seen);
        }
      } catch (IllegalAccessException | InvocationTargetException | UnsupportedOperationException e) {
        // a getter that cannot be read holds nothing to forget
      }
    }
  }
}
