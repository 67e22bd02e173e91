package dev.regcheck.lab.apiserver;

import dev.regcheck.lab.apiserver.objects.Store;
import dev.regcheck.lab.apiserver.objects.GracefulDeletion;
import dev.regcheck.lab.apiserver.objects.Patches;
import dev.regcheck.lab.apiserver.objects.Schemas;
import dev.regcheck.lab.apiserver.objects.FieldValidation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.regcheck.lab.apiserver.objects.IndexedStore;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kube-apiserver's write semantics in front of fabric8's CRUD store, which has others: create,
 * replace, patch and delete of the kinds the lab serves answer as a real server does.
 * <ul>
 *   <li>errors are {@code Status} objects with the real reasons and words: AlreadyExists (409),
 *       NotFound (404, also on get), Conflict (409) for a stale resourceVersion, Invalid (422),
 *       BadRequest (400) for unknown fields under fieldValidation=Strict, UnsupportedMediaType
 *       (415) for a strategic merge patch of a custom resource;</li>
 *   <li>patches are computed here ({@link Patches}): a JSON merge patch replaces lists, a JSON
 *       patch is RFC 6902, a strategic merge patch merges lists by their merge keys, an apply patch
 *       ({@code kubectl apply --server-side}) creates or merges; the result is stored by a
 *       replace, so a patch that changes nothing changes no resourceVersion;</li>
 *   <li>the status subresource: a patch of {@code …/status} changes only status, a patch of the
 *       object never changes its status;</li>
 *   <li>a Secret's {@code stringData} is folded into {@code data}, and {@code data} must be base64;</li>
 *   <li>{@code dryRun=All} answers without storing.</li>
 * </ul>
 * Writes are serialized, so a patch's read and its replace see no other write between them.
 * Differences: an apply patch records no managedFields and detects no conflicts between field
 * managers; field validation knows the fields of fabric8's model classes.
 */
final class ObjectWrites {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";
  static final String APPLY_PATCH = "application/apply-patch+yaml";

  private final IndexedStore store;
  private final Discovery discovery;
  private final Identities identities;

  ObjectWrites(IndexedStore store, Discovery discovery, Identities identities) {
    this.store = store;
    this.discovery = discovery;
    this.identities = identities;
  }

  /** Serves a request on one of the lab's kinds; empty for lists, watches and what the lab does not serve. */
  synchronized Optional<MockResponse> serve(String method, String path, Map<String, String> query, String contentType,
      String body) {
    Optional<ResourcePath> parsed = ResourcePath.parse(path, discovery);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    ResourcePath target = parsed.get();
    boolean dryRun = "All".equals(query.get("dryRun"));
    try {
      if ("token".equals(target.subresource())) {
        if (!"POST".equals(method)) {
          throw ApiError.methodNotAllowed();
        }
        return Optional.of(tokenRequest(target, body));
      }
      return switch (method) {
        case "GET" -> target.name() == null ? Optional.empty() : Optional.of(get(target));
        case "POST" -> target.name() == null ? Optional.of(create(target, body, query, dryRun)) : Optional.empty();
        case "PUT" -> target.name() == null ? Optional.empty() : Optional.of(replace(target, body, query, dryRun));
        case "PATCH" -> target.name() == null ? Optional.empty()
            : Optional.of(patch(target, body, contentType, query, dryRun));
        case "DELETE" -> target.name() == null ? Optional.empty() : Optional.of(delete(target, query, body));
        default -> Optional.empty();
      };
    } catch (ApiError e) {
      return Optional.of(e.response());
    }
  }

  /**
   * {@code POST …/serviceaccounts/<name>/token} (TokenRequest, what {@code kubectl create token} and
   * the kubelet's projected tokens use): the service account must exist; expirationSeconds defaults
   * to an hour and may not be under ten minutes, as on a real server.
   */
  private MockResponse tokenRequest(ResourcePath target, String body) throws ApiError {
    JsonNode account = current(target.withoutSubresource()).orElseThrow(() -> ApiError.notFound(target.withoutSubresource()));
    JsonNode request;
    try {
      request = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("the TokenRequest is not JSON: " + e.getOriginalMessage());
    }
    long seconds = request.path("spec").path("expirationSeconds").asLong(3600);
    if (seconds < 600) {
      throw ApiError.invalid(target, target.name(), "spec.expirationSeconds: Invalid value: " + seconds
          + ": may not specify a duration less than 10 minutes");
    }
    String token = identities.serviceAccountToken(target.namespace(), target.name(),
        account.path("metadata").path("uid").asText(""), seconds);
    ObjectNode out = JSON.createObjectNode().put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1");
    out.putObject("metadata").put("name", target.name()).put("namespace", target.namespace());
    out.putObject("spec").put("expirationSeconds", seconds).putArray("audiences").add(Identities.SERVICE_ACCOUNT_ISSUER);
    out.putObject("status").put("token", token).put("expirationTimestamp",
        Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS).toString());
    return ok(201, out);
  }

  /** The uid of service account {@code namespace/name}, while it exists (what a bound token is checked against). */
  Optional<String> accountUid(String namespace, String name) {
    MockResponse response = store.dispatch(Store.request(HttpMethod.GET,
        "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name, null));
    try {
      return response.code() != 200 ? Optional.empty()
          : Optional.of(JSON.readTree(Store.body(response)).path("metadata").path("uid").asText(""));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private MockResponse get(ResourcePath target) throws ApiError {
    JsonNode current = current(target).orElseThrow(() -> ApiError.notFound(target));
    return ok(200, current);
  }

  private MockResponse delete(ResourcePath target, Map<String, String> query, String body) throws ApiError {
    JsonNode current = current(target).orElseThrow(() -> ApiError.notFound(target));
    if (target.kind().kind().equals("Pod") && target.groupVersion().equals("v1") && !target.isStatus()) {
      GracefulDeletion.Outcome outcome = GracefulDeletion.of(current, query, body);
      if (!outcome.removeNow()) {
        if (!outcome.store().equals(current)) {
          stored(target, outcome.store());
        }
        return ok(200, outcome.store());
      }
    }
    MockResponse response = store.dispatch(Store.request(HttpMethod.DELETE, target.objectPath(), null));
    return response.code() == 404 ? ApiError.notFound(target).response() : response;
  }

  private MockResponse create(ResourcePath target, String body, Map<String, String> query, boolean dryRun)
      throws ApiError {
    ObjectNode object = object(body, target);
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty() && metadata.path("generateName").asText("").isEmpty()) {
      throw ApiError.invalid(target, "", "metadata.name: Required value: name or generateName is required");
    }
    String namespace = metadata.path("namespace").asText("");
    if (target.namespace() != null && !namespace.isEmpty() && !namespace.equals(target.namespace())) {
      throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    if (target.namespace() != null && store.dispatch(Store.request(HttpMethod.GET, "/api/v1/namespaces/"
        + target.namespace(), null)).code() == 404) {
      throw ApiError.namespaceNotFound(target.namespace()); // the NamespaceLifecycle admission plugin
    }
    List<String> warnings = normalize(target, object, query);
    if (!name.isEmpty() && current(target.named(name)).isPresent()) {
      throw ApiError.alreadyExists(target.named(name));
    }
    if (dryRun) {
      return warned(ok(201, object), warnings);
    }
    MockResponse response = store.dispatch(Store.request(HttpMethod.POST, target.collectionPath(), object.toString()));
    return response.code() >= 300 ? ApiError.from(response, target.named(name)).response() : warned(response, warnings);
  }

  private MockResponse replace(ResourcePath target, String body, Map<String, String> query, boolean dryRun)
      throws ApiError {
    JsonNode current = current(target).orElseThrow(() -> ApiError.notFound(target));
    ObjectNode object = object(body, target);
    String name = object.path("metadata").path("name").asText("");
    if (!name.isEmpty() && !name.equals(target.name())) {
      throw ApiError.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
          + target.name() + ")");
    }
    List<String> warnings = normalize(target, object, query);
    String version = object.path("metadata").path("resourceVersion").asText("");
    if (!version.isEmpty() && !version.equals(current.path("metadata").path("resourceVersion").asText())) {
      throw ApiError.conflict(target);
    }
    if (dryRun) {
      return warned(ok(200, object), warnings);
    }
    return warned(stored(target, object), warnings);
  }

  private MockResponse patch(ResourcePath target, String body, String contentType, Map<String, String> query,
      boolean dryRun) throws ApiError {
    String type = contentType == null ? "" : contentType.split(";")[0].trim();
    Optional<JsonNode> existing = current(target);
    if (type.equals(APPLY_PATCH) && existing.isEmpty() && !target.isStatus()) {
      return create(target.collection(), body, query, dryRun);
    }
    JsonNode current = existing.orElseThrow(() -> ApiError.notFound(target));
    JsonNode patch = parse(body, type.equals(APPLY_PATCH));
    JsonNode patched = switch (type) {
      case JSON_PATCH -> jsonPatch(target, current, patch);
      case MERGE_PATCH -> Patches.mergePatch(current, patch);
      case STRATEGIC_PATCH -> {
        if (target.custom()) {
          throw ApiError.unsupportedPatch();
        }
        yield Patches.strategicMerge(target.kind().kind(), current, patch);
      }
      case APPLY_PATCH -> target.custom() ? Patches.mergePatch(current, patch)
          : Patches.strategicMerge(target.kind().kind(), current, patch);
      default -> throw ApiError.unsupportedPatch();
    };
    if (!patched.isObject()) {
      throw ApiError.badRequest("the patch does not leave an object");
    }
    ObjectNode result = (ObjectNode) patched;
    String version = result.path("metadata").path("resourceVersion").asText("");
    String currentVersion = current.path("metadata").path("resourceVersion").asText();
    if (!version.isEmpty() && !version.equals(currentVersion)) {
      throw ApiError.conflict(target);
    }
    if (target.isStatus()) {
      ObjectNode only = current.deepCopy();
      if (result.has("status")) {
        only.set("status", result.get("status"));
      } else {
        only.remove("status");
      }
      result = only;
    } else if (target.kind().subresources().contains("status")) {
      // the object's endpoint never changes status (…/status does)
      if (current.has("status")) {
        result.set("status", current.get("status"));
      } else {
        result.remove("status");
      }
    }
    ((ObjectNode) result.with("metadata")).put("resourceVersion", currentVersion);
    List<String> warnings = normalize(target, result, query);
    if (dryRun) {
      return warned(ok(200, result), warnings);
    }
    return warned(stored(target, result), warnings);
  }

  private static JsonNode jsonPatch(ResourcePath target, JsonNode current, JsonNode patch) throws ApiError {
    try {
      return JsonPatch.apply(patch, current, EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT));
    } catch (RuntimeException e) {
      throw ApiError.invalid(target, target.name(), "the JSON patch does not apply: " + e.getMessage());
    }
  }

  /** Stores {@code object} by a replace of the object (or of its status) and answers as the server does. */
  private MockResponse stored(ResourcePath target, ObjectNode object) throws ApiError {
    MockResponse response = store.dispatch(Store.request(HttpMethod.PUT, target.path(), object.toString()));
    if (response.code() >= 300) {
      throw ApiError.from(response, target);
    }
    return response.setResponseCode(200);
  }

  /**
   * Secret data folded as the API server's conversion does; unknown fields as fieldValidation says
   * (Strict refuses them, Warn and Ignore drop them, Warn says so). Returns the warnings.
   */
  private static List<String> normalize(ResourcePath target, ObjectNode object, Map<String, String> query)
      throws ApiError {
    if (!target.isStatus()) {
      List<String> causes = Schemas.validate(target.group(), target.kind().kind(), object);
      if (!causes.isEmpty()) {
        throw ApiError.invalid(target, object.path("metadata").path("name").asText(target.name()), causes);
      }
    }
    if (target.kind().kind().equals("Secret") && target.groupVersion().equals("v1")) {
      JsonNode stringData = object.remove("stringData");
      ObjectNode data = object.path("data").isObject() ? (ObjectNode) object.get("data") : object.putObject("data");
      for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        try {
          Base64.getDecoder().decode(e.getValue().asText());
        } catch (IllegalArgumentException bad) {
          throw ApiError.badRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at "
              + "data." + e.getKey());
        }
      }
      if (stringData != null && stringData.isObject()) {
        stringData.fields().forEachRemaining(e -> data.put(e.getKey(),
            Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
      }
      if (data.isEmpty()) {
        object.remove("data");
      }
    }
    String validation = query.getOrDefault("fieldValidation", "Warn");
    List<String> unknown = FieldValidation.unknownFields(object);
    if (unknown.isEmpty()) {
      return List.of();
    }
    if (validation.equals("Strict")) {
      throw ApiError.badRequest(FieldValidation.strictError(target.kind().kind(),
          target.groupVersion().substring(target.groupVersion().indexOf('/') + 1), unknown));
    }
    FieldValidation.prune(object, unknown);
    return validation.equals("Ignore") ? List.of() : unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
  }

  /** The warnings as the API server sends them (kubectl prints {@code Warning: …}). */
  private static MockResponse warned(MockResponse response, List<String> warnings) {
    for (String w : warnings) {
      response.addHeader("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\"");
    }
    return response;
  }

  private Optional<JsonNode> current(ResourcePath target) throws ApiError {
    MockResponse response = store.dispatch(Store.request(HttpMethod.GET, target.objectPath(), null));
    if (response.code() == 404) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(Store.body(response)));
    } catch (JsonProcessingException e) {
      throw ApiError.internal("the stored object cannot be read: " + e.getOriginalMessage());
    }
  }

  private static ObjectNode object(String body, ResourcePath target) throws ApiError {
    JsonNode node = parse(body, false);
    if (!(node instanceof ObjectNode object)) {
      throw ApiError.badRequest("the request body is not a " + target.kind().kind());
    }
    String kind = object.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals(target.kind().kind())) {
      throw ApiError.badRequest("the kind in the request body (" + kind + ") does not match the URL ("
          + target.kind().kind() + ")");
    }
    return object;
  }

  private static JsonNode parse(String body, boolean yaml) throws ApiError {
    try {
      JsonNode node = (yaml ? YAML : JSON).readTree(body == null ? "" : body);
      if (node == null || node.isMissingNode()) {
        throw ApiError.badRequest("the request has no body");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("the request body is not " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage());
    }
  }

  private static MockResponse ok(int code, JsonNode body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
