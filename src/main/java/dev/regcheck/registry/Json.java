package dev.regcheck.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;

/** Reading the registry's small JSON answers (never blobs), with a size limit. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int ERROR_BODY_LIMIT = 64 * 1024;

  private Json() {}

  /** At most {@code limit} bytes of the body; more is a {@code PROTOCOL} failure. */
  static byte[] bytes(Response response, int limit, String method, String target) throws IOException {
    try (InputStream in = response.body().byteStream()) {
      byte[] out = in.readNBytes(limit + 1);
      if (out.length > limit) {
        throw RegistryException.protocol(method, target, response.code(), "the answer is larger than " + limit + " bytes");
      }
      return out;
    }
  }

  static JsonNode read(Response response, int limit, String method, String target) throws IOException {
    byte[] body = bytes(response, limit, method, target);
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw RegistryException.protocol(method, target, response.code(), "the answer is not JSON: " + why);
    }
  }

  /** The OCI error list of an error answer; empty when the body is absent or not one. */
  static List<RegistryError> errors(Response response) {
    List<RegistryError> errors = new ArrayList<>();
    try (InputStream in = response.body().byteStream()) {
      byte[] body = in.readNBytes(ERROR_BODY_LIMIT);
      if (body.length == 0) {
        return errors;
      }
      for (JsonNode e : MAPPER.readTree(body).path("errors")) {
        JsonNode detail = e.path("detail");
        if (e.path("code").asText("").isEmpty()) {
          continue;
        }
        errors.add(new RegistryError(e.path("code").asText(""), e.path("message").asText(""),
            detail.isMissingNode() || detail.isNull() ? "" : MAPPER.writeValueAsString(detail)));
      }
    } catch (IOException e) {
      // not an OCI error body (HTML from a proxy, a cut-off answer): the status speaks alone
    }
    return errors;
  }
}
