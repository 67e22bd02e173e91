package dev.regcheck.profile;

import dev.regcheck.registry.AddressMap;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** One field's text checked and converted, each problem one line naming the field. */
final class ProfileFields {
  final String src;
  private final Path baseDir;

  ProfileFields(String src, Path baseDir) {
    this.src = src;
    this.baseDir = baseDir;
  }

  String text(String path, String v, boolean required, String dflt) {
    if (v == null || v.isBlank()) {
      if (required) {
        throw new ProfileException(src, path, "is required");
      }
      return dflt;
    }
    return v.strip();
  }

  String name(String path, String v, boolean required, Pattern pattern, String expected) {
    String s = text(path, v, required, null);
    if (s != null && !pattern.matcher(s).matches()) {
      throw new ProfileException(src, path, "expected " + expected + ", got '" + s + "'");
    }
    return s;
  }

  boolean bool(String path, String v, boolean dflt) {
    String s = text(path, v, false, null);
    if (s == null) {
      return dflt;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> throw new ProfileException(src, path, "expected true or false, got '" + s + "'");
    };
  }

  String oneOf(String path, String v, String dflt, String... allowed) {
    String s = text(path, v, false, dflt);
    if (!List.of(allowed).contains(s)) {
      throw new ProfileException(src, path, "expected one of " + List.of(allowed) + ", got '" + s + "'");
    }
    return s;
  }

  String quantity(String path, String v, String dflt) {
    String s = text(path, v, false, dflt);
    try {
      if (Quantity.getAmountInBytes(new Quantity(s)).signum() <= 0) {
        throw new IllegalArgumentException();
      }
    } catch (RuntimeException e) {
      throw new ProfileException(src, path, "expected a positive size such as 200Gi, got '" + s + "'");
    }
    return s;
  }

  int integer(String path, String v, int dflt, int min, int max) {
    String s = text(path, v, false, null);
    if (s == null) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(s);
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ProfileException(src, path, "expected a whole number from " + min + " to " + max + ", got '" + s + "'");
  }

  Duration duration(String path, String v, Duration dflt) {
    String s = text(path, v, false, null);
    if (s == null) {
      return dflt;
    }
    Duration d;
    try {
      d = ProfileLoader.parseDuration(s);
    } catch (NumberFormatException | ArithmeticException e) {
      d = null;
    }
    if (d == null || d.isZero()) {
      throw new ProfileException(src, path, "expected a duration such as 500ms, 10s, 5m or 1m30s, got '" + s + "'");
    }
    return d;
  }

  Path file(String path, String v, boolean mustExist) {
    String s = text(path, v, false, null);
    if (s == null) {
      return null;
    }
    Path p = s.startsWith("~/")
        ? Path.of(System.getProperty("user.home")).resolve(s.substring(2))
        : baseDir == null ? Path.of(s) : baseDir.resolve(s).normalize();
    if (mustExist && !Files.isRegularFile(p)) {
      throw new ProfileException(src, path, "file " + p + " does not exist");
    }
    return p;
  }

  /** {@code host[:port]: address[:port]} entries, checked as the address map takes them. */
  Map<String, String> hosts(String path, Map<String, String> v) {
    Map<String, String> out = v == null ? Map.of() : new LinkedHashMap<>(v);
    try {
      AddressMap.of(out);
    } catch (IllegalArgumentException e) {
      throw new ProfileException(src, path, e.getMessage());
    }
    return Map.copyOf(out);
  }

  SecretRef secret(String path, ProfileDocument.Secret v) {
    if (v == null) {
      return null;
    }
    if (v.env() != null && v.env().isBlank()) {
      throw new ProfileException(src, path + ".env", "expected a name, got ''");
    }
    if (v.file() != null && v.file().isBlank()) {
      throw new ProfileException(src, path + ".file", "expected a name, got ''");
    }
    if ((v.env() == null) == (v.file() == null)) {
      Set<String> keys = new TreeSet<>();
      if (v.env() != null) {
        keys.add("env");
      }
      if (v.file() != null) {
        keys.add("file");
      }
      throw new ProfileException(src, path, "expected exactly one of {env: NAME} or {file: PATH}, got " + keys);
    }
    String file = v.file();
    if (file != null && baseDir != null && !file.startsWith("/")) {
      file = baseDir.resolve(file).normalize().toString();
    }
    if (file != null && !Files.isRegularFile(Path.of(file))) {
      throw new ProfileException(src, path + ".file", "file " + file + " does not exist");
    }
    return new SecretRef(v.env(), file);
  }
}
