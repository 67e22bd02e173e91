package dev.regcheck.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a written capture must never hold, taken out of an object before it is kept: secret data,
 * a route's private key, an OAuth client's secret, and the annotations that repeat them. Both of
 * regcheck's writers use it: {@code lab gather} (as {@code oc adm inspect} redacts) and a run's
 * {@code --record} (stricter: key names only).
 */
public final class Sanitize {

  /** Keys that hold certificates, which inspect keeps in the clear: they are public. */
  static final Set<String> CERTIFICATE_KEYS = Set.of("tls.crt", "ca.crt", "service-ca.crt");
  /** Annotations that carry a secret's value: a service-account token, kubectl's copy of the applied object. */
  private static final List<String> SECRET_ANNOTATIONS = List.of("openshift.io/token-secret.value",
      "kubectl.kubernetes.io/last-applied-configuration");
  /** Certificates only: PEM blocks, every one a CERTIFICATE. */
  private static final Pattern CERTIFICATES = Pattern.compile(
      "\\s*(-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----\\s*)+");

  private Sanitize() {}

  /**
   * The object fit to be written, changed in place: a Secret keeps its key names (and the
   * certificates of {@code tls.crt}, {@code ca.crt}, {@code service-ca.crt} when they hold nothing
   * else), every other value emptied; a Route's {@code spec.tls.key} emptied, as inspect does; an
   * OAuthClient loses its secrets.
   */
  public static ObjectNode keyNamesOnly(ObjectNode object) {
    return sanitize(object, false);
  }

  /**
   * As {@link #keyNamesOnly}, but a secret's values become "N bytes long", as {@code oc adm inspect}
   * writes them.
   */
  public static ObjectNode asInspect(ObjectNode object) {
    return sanitize(object, true);
  }

  private static ObjectNode sanitize(ObjectNode object, boolean lengths) {
    switch (object.path("kind").asText("")) {
      case "Secret" -> secret(object, lengths);
      case "Route" -> {
        if (object.path("spec").get("tls") instanceof ObjectNode tls && tls.has("key")) {
          tls.put("key", ""); // oc pkg/cli/admin/inspect/route.go
        }
      }
      case "OAuthClient" -> {
        object.remove("secret");
        object.remove("additionalSecrets");
      }
      default -> { }
    }
    return object;
  }

  private static void secret(ObjectNode secret, boolean lengths) {
    if (secret.get("data") instanceof ObjectNode data) {
      List<String> keys = new ArrayList<>();
      data.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        byte[] value = decode(data.path(key).asText(""));
        // certificates stay (inspect keeps these keys whatever they hold; a key hidden in one does not)
        if (CERTIFICATE_KEYS.contains(key) && isCertificates(value)) {
          continue;
        }
        data.put(key, lengths ? Base64.getEncoder().encodeToString((value.length + " bytes long")
            .getBytes(StandardCharsets.UTF_8)) : "");
      }
    }
    secret.remove("stringData");
    if (secret.path("metadata").get("annotations") instanceof ObjectNode annotations) {
      for (String key : SECRET_ANNOTATIONS) {
        if (annotations.has(key)) {
          annotations.put(key, "");
        }
      }
    }
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return base64.getBytes(StandardCharsets.UTF_8);
    }
  }

  private static boolean isCertificates(byte[] value) {
    return value.length > 0 && CERTIFICATES.matcher(new String(value, StandardCharsets.US_ASCII)).matches();
  }
}
