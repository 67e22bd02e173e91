package dev.regcheck.lab.apiserver;

import java.io.IOException;
import java.util.List;
import dev.regcheck.lab.apiserver.objects.Store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * A failed request as the API server words it: a {@code Status} with the reason, the message and
 * the details kubectl prints ({@code Error from server (AlreadyExists): secrets "x" already exists}).
 */
final class ApiError extends Exception {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final transient ObjectNode status;

  private ApiError(int code, String reason, String message, ObjectNode details) {
    super(message, null, false, false);
    status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason);
    if (details != null) {
      status.set("details", details);
    }
    status.put("code", code);
  }

  private static ObjectNode details(ResourcePath target, String name, String kind) {
    ObjectNode d = JSON.createObjectNode();
    if (name != null) {
      d.put("name", name);
    }
    if (!target.group().isEmpty()) {
      d.put("group", target.group());
    }
    d.put("kind", kind);
    return d;
  }

  /** 405: a verb the resource does not serve (a service account's token is only ever created). */
  static ApiError methodNotAllowed() {
    return new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", null);
  }

  static ApiError notFound(ResourcePath target) {
    return new ApiError(404, "NotFound", target.resource() + " \"" + target.name() + "\" not found",
        details(target, target.name(), target.kind().plural()));
  }

  /** A create in a namespace that does not exist ({@code namespaces "x" not found}). */
  static ApiError namespaceNotFound(String namespace) {
    ObjectNode d = JSON.createObjectNode().put("name", namespace).put("kind", "namespaces");
    return new ApiError(404, "NotFound", "namespaces \"" + namespace + "\" not found", d);
  }

  static ApiError alreadyExists(ResourcePath target) {
    return new ApiError(409, "AlreadyExists", target.resource() + " \"" + target.name() + "\" already exists",
        details(target, target.name(), target.kind().plural()));
  }

  static ApiError conflict(ResourcePath target) {
    return new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + target.resource() + " \""
        + target.name() + "\": the object has been modified; please apply your changes to the latest version and try again",
        details(target, target.name(), target.kind().plural()));
  }

  /** 422 Invalid, {@code cause} as {@code field: Reason: detail}. */
  static ApiError invalid(ResourcePath target, String name, String cause) {
    return invalid(target, name, List.of(cause));
  }

  /**
   * 422 Invalid with every cause, as the API server words it: {@code Config.imageregistry.operator.openshift.io
   * "cluster" is invalid: <cause>}, several in brackets; the kind is qualified by its group outside the core group.
   */
  static ApiError invalid(ResourcePath target, String name, List<String> causes) {
    ObjectNode d = details(target, name == null ? "" : name, target.kind().kind());
    var list = d.putArray("causes");
    for (String cause : causes) {
      int colon = cause.indexOf(": ");
      String reason = cause.contains(": Required value") ? "FieldValueRequired"
          : cause.contains(": Unsupported value: ") ? "FieldValueNotSupported" : "FieldValueInvalid";
      list.addObject().put("reason", reason).put("message", colon > 0 ? cause.substring(colon + 2) : cause)
          .put("field", colon > 0 ? cause.substring(0, colon) : "");
    }
    String kind = target.kind().kind() + (target.group().isEmpty() ? "" : "." + target.group());
    String all = causes.size() == 1 ? causes.get(0) : "[" + String.join(", ", causes) + "]";
    return new ApiError(422, "Invalid", kind + " \"" + (name == null ? "" : name) + "\" is invalid: " + all, d);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequest", message, null);
  }

  static ApiError unsupportedPatch() {
    return new ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media "
        + "types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", null);
  }

  static ApiError internal(String message) {
    return new ApiError(500, "InternalError", message, null);
  }

  /** The store's refusal in the API server's words (a stale resourceVersion is a Conflict). */
  static ApiError from(MockResponse response, ResourcePath target) {
    String body = Store.body(response);
    String message = body;
    try {
      JsonNode parsed = JSON.readTree(body);
      message = parsed.path("message").asText(body);
    } catch (IOException | RuntimeException e) {
      // not a Status: its text is the message
    }
    return switch (response.code()) {
      case 404 -> notFound(target);
      case 409 -> message.contains("has been modified") ? conflict(target) : alreadyExists(target);
      case 400 -> badRequest(message);
      default -> response.code() == 422 ? invalid(target, target.name(), message) : internal(message);
    };
  }

  MockResponse response() {
    return new MockResponse().setResponseCode(status.get("code").asInt())
        .setHeader("Content-Type", "application/json").setBody(status.toString());
  }
}
