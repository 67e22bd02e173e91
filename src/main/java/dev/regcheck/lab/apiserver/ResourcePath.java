package dev.regcheck.lab.apiserver;

import java.util.Arrays;
import java.util.Optional;

/**
 * A request path on one of the lab's kinds: {@code /api/v1[/namespaces/<ns>]/<plural>[/<name>[/status]]}
 * or {@code /apis/<group>/<version>/…} (the query string already removed).
 */
record ResourcePath(String groupVersion, Discovery.Kind kind, String namespace, String name, String subresource) {

  static Optional<ResourcePath> parse(String path, Discovery discovery) {
    String groupVersion;
    String[] segments;
    if (path.startsWith("/api/v1/")) {
      groupVersion = "v1";
      segments = path.substring("/api/v1/".length()).split("/");
    } else if (path.startsWith("/apis/")) {
      String[] all = path.substring("/apis/".length()).split("/");
      if (all.length < 3) {
        return Optional.empty();
      }
      groupVersion = all[0] + "/" + all[1];
      segments = Arrays.copyOfRange(all, 2, all.length);
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (segments.length >= 3 && segments[0].equals("namespaces") && discovery.kind(groupVersion, segments[2]).isPresent()) {
      namespace = segments[1];
      segments = Arrays.copyOfRange(segments, 2, segments.length);
    }
    if (segments.length == 0 || segments.length > 3 || Arrays.stream(segments).anyMatch(String::isEmpty)) {
      return Optional.empty();
    }
    String sub = segments.length == 3 ? segments[2] : null;
    if (sub != null && !sub.equals("status") && !(sub.equals("token") && segments[0].equals("serviceaccounts"))) {
      return Optional.empty(); // log, scale, finalize: not written here (a service account's token is)
    }
    Optional<Discovery.Kind> kind = discovery.kind(groupVersion, segments[0]);
    if (kind.isEmpty() || kind.get().namespaced() != (namespace != null)) {
      return Optional.empty();
    }
    return Optional.of(new ResourcePath(groupVersion, kind.get(), namespace, segments.length > 1 ? segments[1] : null, sub));
  }

  String group() {
    return groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "";
  }

  /** How the API server names the resource in messages: {@code secrets}, {@code routes.route.openshift.io}. */
  String resource() {
    return group().isEmpty() ? kind.plural() : kind.plural() + "." + group();
  }

  /** Served by a CustomResourceDefinition on a real cluster. */
  boolean custom() {
    return Discovery.CUSTOM_RESOURCES.contains(resource());
  }

  boolean isStatus() {
    return "status".equals(subresource);
  }

  ResourcePath named(String other) {
    return new ResourcePath(groupVersion, kind, namespace, other, null);
  }

  ResourcePath collection() {
    return new ResourcePath(groupVersion, kind, namespace, null, null);
  }

  String collectionPath() {
    return (group().isEmpty() ? "/api/v1" : "/apis/" + groupVersion)
        + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + kind.plural();
  }

  String objectPath() {
    return collectionPath() + "/" + name;
  }

  /** The object's path, or its status's. */
  String path() {
    return objectPath() + (isStatus() ? "/status" : "");
  }

  /** The object itself, for a subresource's path. */
  ResourcePath withoutSubresource() {
    return new ResourcePath(groupVersion, kind, namespace, name, null);
  }
}
