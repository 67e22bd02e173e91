package dev.regcheck.lab.apiserver.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A list as kube-apiserver serves it (fabric8's store keeps insertion order and ignores paging):
 * items in key order (namespace, then name), and with {@code ?limit=N&continue=T} in pages,
 * {@code metadata.continue} while more remain,
 * with {@code remainingItemCount}. The token is opaque to clients; a token that does not decode
 * is 400, as a malformed one is on a cluster. A list whose objects change between pages reads them
 * as they are then (a real server reads every page at the first page's resourceVersion).
 */
public final class ListPages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ListPages() {}

  /** The list in {@code response} sorted, and paged when {@code limit} is given; empty when it is no 200. */
  public static Optional<MockResponse> page(MockResponse response, String limit, String token) {
    if (response.code() != 200) {
      return Optional.empty();
    }
    int size = Integer.MAX_VALUE;
    if (limit != null) {
      try {
        size = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        size = Integer.MAX_VALUE;
      }
    }
    JsonNode list;
    try {
      list = JSON.readTree(Store.body(response));
    } catch (IOException e) {
      return Optional.empty();
    }
    if (size <= 0) {
      size = Integer.MAX_VALUE; // limit=0: no limit
    }
    if (!(list instanceof ObjectNode object) || !(list.get("items") instanceof ArrayNode items)) {
      return Optional.of(json(200, list));
    }
    int offset = 0;
    if (token != null && !token.isEmpty()) {
      try {
        offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return Optional.of(json(400, JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
            .put("status", "Failure").put("message", "continue key is not valid: illegal base64 data")
            .put("reason", "BadRequest").put("code", 400)));
      }
    }
    List<JsonNode> sorted = new ArrayList<>();
    items.forEach(sorted::add);
    sorted.sort(Comparator.comparing((JsonNode i) -> i.path("metadata").path("namespace").asText(""))
        .thenComparing(i -> i.path("metadata").path("name").asText("")));
    int end = (int) Math.min(sorted.size(), (long) offset + size);
    ArrayNode pageItems = JSON.createArrayNode();
    sorted.subList(Math.min(offset, sorted.size()), end).forEach(pageItems::add);
    object.set("items", pageItems);
    ObjectNode metadata = object.with("metadata");
    if (end < sorted.size()) {
      metadata.put("continue", Base64.getUrlEncoder().withoutPadding()
          .encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)));
      metadata.put("remainingItemCount", sorted.size() - end);
    } else {
      metadata.remove("continue");
      metadata.remove("remainingItemCount");
    }
    return Optional.of(json(200, object));
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
