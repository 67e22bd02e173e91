package dev.regcheck.lab.apiserver.objects;

import dev.regcheck.lab.core.PodLogs;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small parts of the API server's request path: query strings, pod logs, OAuth discovery. */
public final class Requests {
  private Requests() {}

  /** {@code pods/<pod>/log}: the kubelet's lines, {@code previous} and {@code tailLines} as the API serves them. */
  public static MockResponse podLog(PodLogs podLogs, String namespace, String pod, Map<String, String> query,
      boolean capture) {
    boolean previous = Boolean.parseBoolean(query.getOrDefault("previous", "false"));
    Optional<List<String>> lines = podLogs.lines(namespace, pod, previous);
    if (lines.isEmpty() && capture) {
      // a capture that holds no such log: not collected, which says nothing of the pod
      return ListPages.status(403, "Forbidden", "not in the capture: the " + (previous ? "previous " : "")
          + "log of pods \"" + pod + "\" in namespace " + namespace);
    }
    if (lines.isEmpty()) {
      return ListPages.status(404, "NotFound", "pods \"" + pod + "\" not found");
    }
    List<String> all = lines.get();
    String tail = query.get("tailLines");
    if (tail != null) {
      try {
        int n = Math.max(0, Integer.parseInt(tail));
        all = all.subList(Math.max(0, all.size() - n), all.size());
      } catch (NumberFormatException e) {
        return ListPages.status(400, "BadRequest", "invalid tailLines: " + tail);
      }
    }
    StringBuilder body = new StringBuilder();
    all.forEach(line -> body.append(line).append('\n'));
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
        .setBody(body.toString());
  }

  /** A query string's parameters, decoded. */
  public static Map<String, String> parseQuery(String query) {
    Map<String, String> params = new HashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  /** openshift-apiserver's {@code /.well-known/oauth-authorization-server} (RFC 8414 metadata). */
  public static String oauthDiscovery(String issuer) {
    return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/oauth/authorize\","
        + "\"token_endpoint\":\"" + issuer + "/oauth/token\","
        + "\"scopes_supported\":[\"user:check-access\",\"user:full\",\"user:info\",\"user:list-projects\",\"user:list-scoped-projects\"],"
        + "\"response_types_supported\":[\"code\",\"token\"],"
        + "\"grant_types_supported\":[\"authorization_code\",\"implicit\"],"
        + "\"code_challenge_methods_supported\":[\"plain\",\"S256\"]}";
  }
}
