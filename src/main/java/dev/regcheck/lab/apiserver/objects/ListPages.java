package dev.regcheck.lab.apiserver.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

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

  /** The objects of a list as the store holds them (JSON text, never parsed here), with their key. */
  private record Snapshot(String path, String apiVersion, String kind, String resourceVersion, List<String> items,
      Instant taken) {}

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Snapshot> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Snapshot> eldest) {
      return size() > KEPT_SNAPSHOTS;
    }
  };

  /** What a list is of: its group version, resource (plural) and list kind ({@code ImageList}). */
  public record Resource(String apiVersion, String plural, String listKind) {}

  /**
   * A list request: a later page from its snapshot, or the first page of what the store holds,
   * with field selectors judged as the server judges them (the store knows {@code metadata.name}
   * only, and answers other labels with nothing).
   */
  public MockResponse serve(IndexedStore store, String path, String pathAndQuery, Map<String, String> query,
      Resource resource) {
    String token = query.get("continue");
    if (token != null && !token.isEmpty()) {
      return next(path, query.get("limit"), token); // from the first page's snapshot, as etcd serves it
    }
    String read = pathAndQuery;
    Predicate<String> selected = item -> true;
    if (query.containsKey("fieldSelector")) {
      FieldSelector.Parsed fields = FieldSelector.parse(resource.plural(), query.get("fieldSelector"));
      if (fields.error() != null) {
        return status(400, "BadRequest", fields.error());
      }
      Predicate<JsonNode> matcher = fields.selector().matcher();
      selected = item -> {
        try {
          return matcher.test(JSON.readTree(item));
        } catch (IOException e) {
          return false; // the store holds only what it parsed
        }
      };
      read = withoutParameter(pathAndQuery, "fieldSelector");
    }
    IndexedStore.Listing listing = store.list(read);
    Predicate<String> keep = selected;
    return first(path, resource.apiVersion(), resource.listKind(),
        listing.items().stream().filter(i -> keep.test(i.json())).toList(), listing.resourceVersion(), query.get("limit"));
  }

  private static String withoutParameter(String pathAndQuery, String name) {
    int q = pathAndQuery.indexOf('?');
    StringBuilder kept = new StringBuilder(pathAndQuery.substring(0, q));
    char separator = '?';
    for (String pair : pathAndQuery.substring(q + 1).split("&")) {
      if (!pair.equals(name) && !pair.startsWith(name + "=")) {
        kept.append(separator).append(pair);
        separator = '&';
      }
    }
    return kept.toString();
  }

  /**
   * The first page of {@code items} (sorted here; all of them without a limit), a {@code kind}
   * ({@code ImageList}) of {@code apiVersion} as the server names its lists.
   */
  MockResponse first(String path, String apiVersion, String kind, List<IndexedStore.Listed> items,
      String resourceVersion, String limit) {
    List<IndexedStore.Listed> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(IndexedStore.Listed::namespace).thenComparing(IndexedStore.Listed::name));
    Snapshot snapshot = new Snapshot(path, apiVersion, kind, resourceVersion, sorted.stream().map(IndexedStore.Listed::json).toList(),
        Instant.now());
    int size = size(limit);
    long id = 0;
    if (size < sorted.size()) {
      id = ids.incrementAndGet();
      synchronized (snapshots) {
        snapshots.put(id, snapshot);
      }
    }
    return page(snapshot, id, 0, size);
  }

  /** A later page: from the snapshot the token names; 410 when it is gone, 400 when the token is not one. */
  MockResponse next(String path, String limit, String token) {
    long id;
    int offset;
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
      id = Long.parseLong(parts[0]);
      offset = Integer.parseInt(parts[1]);
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      return status(400, "BadRequest", "continue key is not valid: illegal base64 data");
    }
    Snapshot snapshot;
    synchronized (snapshots) {
      snapshots.values().removeIf(s -> s.taken().isBefore(Instant.now().minus(Duration.ofMinutes(KEPT_MINUTES))));
      snapshot = snapshots.get(id);
    }
    if (snapshot == null || !snapshot.path().equals(path) || offset < 0) {
      return status(410, "Expired", "The provided continue parameter is too old to display a consistent list "
          + "result. You can start a new list without the continue parameter.");
    }
    return page(snapshot, id, offset, size(limit));
  }

  /** One page: the stored objects' text joined as they are, with the list's metadata. */
  private static MockResponse page(Snapshot snapshot, long id, int offset, int size) {
    List<String> items = snapshot.items();
    int from = Math.min(offset, items.size());
    int end = (int) Math.min(items.size(), (long) offset + size);
    ObjectNode metadata = JSON.createObjectNode().put("resourceVersion", snapshot.resourceVersion());
    if (end < items.size()) {
      metadata.put("continue", Base64.getUrlEncoder().withoutPadding()
          .encodeToString((id + ":" + end).getBytes(StandardCharsets.UTF_8)));
      metadata.put("remainingItemCount", items.size() - end);
    }
    int length = 64 + metadata.toString().length();
    for (int i = from; i < end; i++) {
      length += items.get(i).length() + 1;
    }
    StringBuilder body = new StringBuilder(length).append("{\"apiVersion\":")
        .append(JSON.getNodeFactory().textNode(snapshot.apiVersion())).append(",\"kind\":")
        .append(JSON.getNodeFactory().textNode(snapshot.kind())).append(",\"metadata\":").append(metadata)
        .append(",\"items\":[");
    for (int i = from; i < end; i++) {
      body.append(i == from ? "" : ",").append(items.get(i));
    }
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody(body.append("]}").toString());
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

  static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
        .put("message", message).put("reason", reason).put("code", code);
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(status.toString());
  }
}
