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
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.LinkedHashMap;
import java.time.Instant;
import java.time.Duration;
import java.util.Optional;

/**
 * A list as kube-apiserver serves it (fabric8's store keeps insertion order and ignores paging):
 * items in key order (namespace, then name), and with {@code ?limit=N} in pages, with
 * {@code metadata.continue} while more remain and {@code remainingItemCount}. As on a real server
 * every page of one list is read from the snapshot the first page was taken from (its
 * resourceVersion), so objects that change meanwhile neither appear twice nor go missing; a
 * snapshot is kept {@value #KEPT_MINUTES} minutes (etcd compacts after about five), after which
 * its token is 410 Expired, and a token that does not decode is 400, as on a cluster.
 */
public final class ListPages {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final long KEPT_MINUTES = 5;
  private static final int KEPT_SNAPSHOTS = 32;

  private record Snapshot(String path, ObjectNode list, List<JsonNode> items, Instant taken) {}

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Snapshot> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Snapshot> eldest) {
      return size() > KEPT_SNAPSHOTS;
    }
  };

  /** The first page of the list in {@code response} (sorted; all of it without a limit); empty when it is no 200. */
  public Optional<MockResponse> first(String path, MockResponse response, String limit) {
    if (response.code() != 200) {
      return Optional.empty();
    }
    JsonNode list;
    try {
      list = JSON.readTree(Store.body(response));
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!(list instanceof ObjectNode object) || !(list.get("items") instanceof ArrayNode items)) {
      return Optional.of(json(200, list));
    }
    List<JsonNode> sorted = new ArrayList<>();
    items.forEach(sorted::add);
    sorted.sort(Comparator.comparing((JsonNode i) -> i.path("metadata").path("namespace").asText(""))
        .thenComparing(i -> i.path("metadata").path("name").asText("")));
    object.remove("items");
    Snapshot snapshot = new Snapshot(path, object, List.copyOf(sorted), Instant.now());
    int size = size(limit);
    long id = 0;
    if (size < sorted.size()) {
      id = ids.incrementAndGet();
      synchronized (snapshots) {
        snapshots.put(id, snapshot);
      }
    }
    return Optional.of(json(200, page(snapshot, id, 0, size)));
  }

  /** A later page: from the snapshot the token names; 410 when it is gone, 400 when the token is not one. */
  public MockResponse next(String path, String limit, String token) {
    long id;
    int offset;
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
      id = Long.parseLong(parts[0]);
      offset = Integer.parseInt(parts[1]);
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      return json(400, status(400, "BadRequest", "continue key is not valid: illegal base64 data"));
    }
    Snapshot snapshot;
    synchronized (snapshots) {
      snapshots.values().removeIf(s -> s.taken().isBefore(Instant.now().minus(Duration.ofMinutes(KEPT_MINUTES))));
      snapshot = snapshots.get(id);
    }
    if (snapshot == null || !snapshot.path().equals(path) || offset < 0) {
      return json(410, status(410, "Expired", "The provided continue parameter is too old to display a consistent list "
          + "result. You can start a new list without the continue parameter."));
    }
    return json(200, page(snapshot, id, offset, size(limit)));
  }

  private static ObjectNode page(Snapshot snapshot, long id, int offset, int size) {
    ObjectNode object = snapshot.list().deepCopy();
    List<JsonNode> sorted = snapshot.items();
    int end = (int) Math.min(sorted.size(), (long) offset + size);
    ArrayNode pageItems = object.putArray("items");
    sorted.subList(Math.min(offset, sorted.size()), end).forEach(pageItems::add);
    ObjectNode metadata = object.with("metadata");
    if (end < sorted.size()) {
      metadata.put("continue", Base64.getUrlEncoder().withoutPadding()
          .encodeToString((id + ":" + end).getBytes(StandardCharsets.UTF_8)));
      metadata.put("remainingItemCount", sorted.size() - end);
    } else {
      metadata.remove("continue");
      metadata.remove("remainingItemCount");
    }
    return object;
  }

  private static int size(String limit) {
    if (limit == null) {
      return Integer.MAX_VALUE;
    }
    try {
      int size = Integer.parseInt(limit);
      return size <= 0 ? Integer.MAX_VALUE : size; // limit=0: no limit
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static ObjectNode status(int code, String reason, String message) {
    return JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
        .put("message", message).put("reason", reason).put("code", code);
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
