package dev.regcheck.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Environment variables ({@code REGCHECK_<SECTION>_<FIELD>}) and {@code --set section.field=value}
 * written into the profile's tree before it is bound, in that order of precedence. Which paths
 * exist, and what kind of value each takes, is read from {@link ProfileDocument}'s components.
 * A secret is never given here, only where it is ({@code identity.token.file=/path}).
 */
final class ProfileOverrides {
  /** What a path of the profile holds. */
  enum Kind { VALUE, LIST, HOSTS, SECRET }

  /** Every leaf path of the schema and its kind, e.g. {@code timeouts.settle → VALUE}. */
  static final Map<String, Kind> SCHEMA = schema(ProfileDocument.class, "", new LinkedHashMap<>());

  private final String src;
  private final Map<String, String> environment;
  private final Map<String, String> overrides;

  ProfileOverrides(String src, Map<String, String> environment, Map<String, String> overrides) {
    this.src = src;
    this.environment = environment;
    this.overrides = overrides;
  }

  void apply(ObjectNode tree) {
    for (String key : overrides.keySet()) {
      if (!SCHEMA.containsKey(key) && !isSecretLocation(key)) {
        throw new ProfileException(src, key, "--set names a field the profile does not have");
      }
    }
    for (Map.Entry<String, Kind> e : SCHEMA.entrySet()) {
      String path = e.getKey();
      String value = overrides.containsKey(path) ? overrides.get(path) : environment.get(ProfileLoader.envName(path));
      if (e.getValue() == Kind.SECRET) {
        if (value != null) {
          throw new ProfileException(src, path,
              "secrets are never given inline; use {env: NAME} or {file: PATH} in the profile");
        }
        secretLocation(tree, path);
      } else if (value != null) {
        put(tree, path, node(path, e.getValue(), value));
      }
    }
  }

  /** {@code --set identity.token.file=/path} (or {@code .env=NAME}): where a secret is, never its value. */
  private void secretLocation(ObjectNode tree, String path) {
    String file = overrides.get(path + ".file");
    String env = overrides.get(path + ".env");
    if (file == null && env == null) {
      return;
    }
    ObjectNode ref = JsonNodeFactory.instance.objectNode();
    if (file != null) {
      ref.put("file", file);
    }
    if (env != null) {
      ref.put("env", env);
    }
    put(tree, path, ref);
  }

  private static boolean isSecretLocation(String key) {
    int dot = key.lastIndexOf('.');
    return dot > 0 && (key.endsWith(".file") || key.endsWith(".env")) && SCHEMA.get(key.substring(0, dot)) == Kind.SECRET;
  }

  private JsonNode node(String path, Kind kind, String value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (kind) {
      case LIST -> {
        var list = f.arrayNode();
        for (String item : value.split("\\s*,\\s*")) {
          list.add(item);
        }
        yield list;
      }
      case HOSTS -> {
        ObjectNode hosts = f.objectNode();
        for (String pair : value.split("\\s*,\\s*")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new ProfileException(src, path, "expected host=address pairs separated by commas, got '" + pair + "'");
          }
          hosts.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        yield hosts;
      }
      default -> f.textNode(value);
    };
  }

  /** Sets {@code path} in the tree, making the sections on the way (a section that is not a mapping is left for binding to refuse). */
  private static void put(ObjectNode tree, String path, JsonNode value) {
    String[] parts = path.split("\\.");
    ObjectNode at = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = at.get(parts[i]);
      if (next == null || next.isNull()) {
        next = at.putObject(parts[i]);
      }
      if (!next.isObject()) {
        return;
      }
      at = (ObjectNode) next;
    }
    at.set(parts[parts.length - 1], value);
  }

  private static Map<String, Kind> schema(Class<?> type, String prefix, Map<String, Kind> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String path = prefix + c.getName();
      Class<?> t = c.getType();
      if (t == ProfileDocument.Secret.class) {
        out.put(path, Kind.SECRET);
      } else if (t.isRecord()) {
        schema(t, path + ".", out);
      } else if (List.class.isAssignableFrom(t)) {
        out.put(path, Kind.LIST);
      } else if (Map.class.isAssignableFrom(t) && stringMap(c.getGenericType())) {
        out.put(path, Kind.HOSTS);
      } else {
        out.put(path, Kind.VALUE);
      }
    }
    return out;
  }

  private static boolean stringMap(Type type) {
    return type instanceof ParameterizedType p && p.getActualTypeArguments()[1] == String.class;
  }
}
