package dev.regcheck.lab.apiserver;

import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regcheck.lab.apiserver.objects.Store;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingList;
import dev.regcheck.lab.apiserver.objects.IndexedStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * kube-apiserver's authorization step, in front of every request: the request's attributes (verb,
 * API group, resource and subresource, namespace, name) asked of the lab's RBAC objects
 * ({@link Rbac}, read from the store in-process), a 403 {@code Status} worded as the real server
 * words it when no rule allows it, and {@code SelfSubjectAccessReview} answered from the same rules
 * ({@code kubectl auth can-i}). Non-resource paths: {@code /version}, {@code /healthz} and OAuth's
 * discovery for everyone (system:public-info-viewer), the API discovery and OpenAPI documents for
 * authenticated users (system:discovery). The lab's control plane is in {@code system:masters}.
 */
final class Authorization {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PUBLIC = Set.of("/version", "/version/", "/healthz", "/readyz", "/livez",
      LabDispatcher.OAUTH_DISCOVERY);
  static final String SSAR_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

  private final Rbac rbac;

  Authorization(IndexedStore store) {
    this.rbac = new Rbac(new StoreObjects(store));
  }

  Rbac rbac() {
    return rbac;
  }

  /** What is asked: a resource request's attributes, or a non-resource path. */
  record Request(String verb, String group, String resource, String subresource, String namespace, String name,
      String nonResourcePath) {

    static Request of(String method, String path, Map<String, String> query) {
      String group;
      String[] segments;
      if (path.startsWith("/api/v1/")) {
        group = "";
        segments = path.substring("/api/v1/".length()).split("/");
      } else if (path.startsWith("/apis/") && path.substring(6).split("/").length >= 3) {
        String[] all = path.substring(6).split("/");
        group = all[0];
        segments = Arrays.copyOfRange(all, 2, all.length);
      } else {
        return new Request(null, null, null, null, null, null, path);
      }
      String namespace = null;
      if (segments.length >= 3 && segments[0].equals("namespaces")) {
        namespace = segments[1];
        segments = Arrays.copyOfRange(segments, 2, segments.length);
      } else if (segments.length == 2 && segments[0].equals("namespaces")) {
        namespace = segments[1]; // a namespace is in itself
      }
      String resource = segments[0];
      String name = segments.length > 1 ? segments[1] : null;
      String sub = segments.length > 2 ? segments[2] : null;
      boolean watch = "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
      String verb = switch (method) {
        case "GET", "HEAD" -> name != null ? "get" : watch ? "watch" : "list";
        case "POST" -> "create";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        case "DELETE" -> name != null ? "delete" : "deletecollection";
        default -> method.toLowerCase();
      };
      return new Request(verb, group, resource, sub, namespace, name, null);
    }

    String resourceWithSubresource() {
      return subresource == null ? resource : resource + "/" + subresource;
    }
  }

  /** Empty when {@code user} may make the request; otherwise the 403 the API server answers. */
  Optional<MockResponse> deny(String user, Set<String> groups, Request request) {
    if (request.nonResourcePath() != null) {
      String path = request.nonResourcePath();
      boolean open = PUBLIC.contains(path) || !groups.contains("system:unauthenticated");
      return open ? Optional.empty() : Optional.of(forbiddenPath(user, path));
    }
    if (request.group().equals("user.openshift.io") && request.resource().equals("users") && "~".equals(request.name())
        && !groups.contains("system:unauthenticated")) {
      return Optional.empty(); // basic-user: every authenticated user may ask who it is
    }
    if (request.group().equals("authorization.k8s.io") && request.resource().startsWith("selfsubject")
        && !groups.contains("system:unauthenticated")) {
      return Optional.empty(); // system:basic-user: anyone may ask what it may do
    }
    if (groups.contains("system:masters")) {
      return Optional.empty(); // the privileged group, decided before RBAC as kube-apiserver does
    }
    if (rbac.allowed(user, groups, new Rbac.Attributes(request.verb(), request.group(),
        request.resourceWithSubresource(), request.namespace(), request.name()))) {
      return Optional.empty();
    }
    return Optional.of(forbidden(user, request));
  }

  private static MockResponse forbidden(String user, Request r) {
    String resource = r.group().isEmpty() ? r.resource() : r.resource() + "." + r.group();
    String what = r.name() == null ? resource : resource + " \"" + r.name() + "\"";
    String scope = r.namespace() != null ? "in the namespace \"" + r.namespace() + "\"" : "at the cluster scope";
    String message = what + " is forbidden: User \"" + user + "\" cannot " + r.verb() + " resource \""
        + r.resourceWithSubresource() + "\" in API group \"" + r.group() + "\" " + scope;
    ObjectNode status = status(message);
    ObjectNode details = status.putObject("details");
    if (r.name() != null) {
      details.put("name", r.name());
    }
    if (!r.group().isEmpty()) {
      details.put("group", r.group());
    }
    details.put("kind", r.resource());
    return response(status);
  }

  private static MockResponse forbiddenPath(String user, String path) {
    return response(status("forbidden: User \"" + user + "\" cannot get path \"" + path + "\""));
  }

  private static ObjectNode status(String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", "Forbidden").put("code", 403);
    return status;
  }

  private static MockResponse response(ObjectNode status) {
    return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json")
        .setBody(status.toString());
  }

  /** POST selfsubjectaccessreviews: the review with status.allowed from the same rules. */
  MockResponse selfSubjectAccessReview(String user, Set<String> groups, String body) {
    JsonNode review;
    try {
      review = JSON.readTree(body);
    } catch (IOException e) {
      return LabDispatcher.status(400, "BadRequest", "the review is not JSON: " + e.getMessage());
    }
    JsonNode attributes = review.path("spec").path("resourceAttributes");
    boolean allowed;
    if (attributes.isMissingNode()) {
      String path = review.path("spec").path("nonResourceAttributes").path("path").asText("");
      allowed = PUBLIC.contains(path) || !groups.contains("system:unauthenticated");
    } else {
      String sub = attributes.path("subresource").asText("");
      String resource = attributes.path("resource").asText("") + (sub.isEmpty() ? "" : "/" + sub);
      String namespace = attributes.path("namespace").asText("");
      String name = attributes.path("name").asText("");
      allowed = rbac.allowed(user, groups, new Rbac.Attributes(attributes.path("verb").asText(""),
          attributes.path("group").asText(""), resource, namespace.isEmpty() ? null : namespace,
          name.isEmpty() ? null : name));
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("kind", "SelfSubjectAccessReview").put("apiVersion", "authorization.k8s.io/v1");
    out.putObject("metadata").put("creationTimestamp", (String) null);
    out.set("spec", review.path("spec"));
    ObjectNode status = out.putObject("status").put("allowed", allowed);
    if (allowed) {
      status.put("reason", "RBAC: allowed by the lab's bindings");
    }
    return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(out.toString());
  }

  /** The RBAC objects as the store holds them. */
  private record StoreObjects(IndexedStore store) implements Rbac.Objects {
    private static final String BASE = "/apis/rbac.authorization.k8s.io/v1/";

    private String read(String path) {
      MockResponse response = store.dispatch(Store.request(HttpMethod.GET, path, null));
      return response.code() == 200 ? Store.body(response) : null;
    }

    @Override
    public List<ClusterRoleBinding> clusterRoleBindings() {
      String json = read(BASE + "clusterrolebindings");
      return json == null ? List.of() : Serialization.unmarshal(json, ClusterRoleBindingList.class).getItems();
    }

    @Override
    public List<RoleBinding> roleBindings(String namespace) {
      String json = read(BASE + "namespaces/" + namespace + "/rolebindings");
      return json == null ? List.of() : Serialization.unmarshal(json, RoleBindingList.class).getItems();
    }

    @Override
    public Optional<ClusterRole> clusterRole(String name) {
      return Optional.ofNullable(read(BASE + "clusterroles/" + name)).map(j -> Serialization.unmarshal(j, ClusterRole.class));
    }

    @Override
    public Optional<Role> role(String namespace, String name) {
      return Optional.ofNullable(read(BASE + "namespaces/" + namespace + "/roles/" + name))
          .map(j -> Serialization.unmarshal(j, Role.class));
    }
  }
}
