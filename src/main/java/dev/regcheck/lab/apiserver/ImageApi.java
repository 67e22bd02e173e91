package dev.regcheck.lab.apiserver;

import dev.regcheck.lab.apiserver.objects.Store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regcheck.lab.apiserver.objects.IndexedStore;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Predicate;

/**
 * The parts of openshift-apiserver's image API a CRUD store cannot give (openshift-facts.md §7):
 * the virtual {@code imagestreamtags} (GET builds one from the stream's status and its Image,
 * NotFound when the Image is gone; DELETE removes the tag from the stream's spec and status), and
 * the registry's reaction to deletions (Image, tag, stream) through {@link Hooks}. Works on the
 * store directly, never through the API server's own HTTP (no re-entrant calls).
 */
public final class ImageApi {
  private static final String BASE = "/apis/image.openshift.io/v1/";
  private static final Pattern ISTAG =
      Pattern.compile("^" + BASE + "namespaces/([^/]+)/imagestreamtags/([^/]+)$");
  private static final Pattern IMAGE = Pattern.compile("^" + BASE + "images/([^/]+)$");
  private static final Pattern STREAM =
      Pattern.compile("^" + BASE + "namespaces/([^/]+)/imagestreams/([^/]+)$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the registry does when image objects are deleted. */
  public interface Hooks {
    void imageDeleted(String digest);

    void tagDeleted(String namespace, String stream, String tag);

    void streamDeleted(String namespace, String stream);
  }

  static final Hooks NO_HOOKS = new Hooks() {
    @Override
    public void imageDeleted(String digest) {}

    @Override
    public void tagDeleted(String namespace, String stream, String tag) {}

    @Override
    public void streamDeleted(String namespace, String stream) {}
  };

  private final IndexedStore store;
  private volatile Hooks hooks = NO_HOOKS;

  ImageApi(IndexedStore store) {
    this.store = store;
  }

  void hooks(Hooks hooks) {
    this.hooks = hooks;
  }

  /** Serves the request if it is an image-stream tag; empty otherwise. */
  Optional<MockResponse> serve(String method, String path) {
    Matcher istag = ISTAG.matcher(path);
    if (!istag.matches()) {
      return Optional.empty();
    }
    String ns = decode(istag.group(1));
    String full = decode(istag.group(2));
    int colon = full.lastIndexOf(':');
    if (colon <= 0 || colon == full.length() - 1) {
      return Optional.of(LabDispatcher.status(400, "BadRequest",
          "\"" + full + "\" is an invalid imagestreamtag name: must be <stream>:<tag>"));
    }
    String stream = full.substring(0, colon);
    String tag = full.substring(colon + 1);
    try {
      return switch (method) {
        case "GET" -> Optional.of(get(ns, stream, tag, full));
        case "DELETE" -> Optional.of(delete(ns, stream, tag, full));
        default -> Optional.of(LabDispatcher.status(405, "MethodNotAllowed",
            "the lab serves get and delete of imagestreamtags"));
      };
    } catch (IOException e) {
      return Optional.of(LabDispatcher.status(500, "InternalError", e.getMessage()));
    }
  }

  /**
   * Called with the store's answer to every request: runs the registry's reaction to deletes. The
   * object is gone already, so a failure here is logged, never turned into a failed response.
   */
  void after(String method, String path, int code) {
    if (!"DELETE".equals(method) || code != 200) {
      return;
    }
    try {
      react(path);
    } catch (RuntimeException e) {
      System.err.println("regcheck lab: the registry's reaction to DELETE " + path + " failed: " + e.getMessage());
    }
  }

  private void react(String path) {
    Matcher image = IMAGE.matcher(path);
    if (image.matches()) {
      hooks.imageDeleted(decode(image.group(1)));
      return;
    }
    Matcher stream = STREAM.matcher(path);
    if (stream.matches()) {
      hooks.streamDeleted(decode(stream.group(1)), decode(stream.group(2)));
    }
  }

  private MockResponse get(String ns, String stream, String tag, String full) throws IOException {
    Optional<ObjectNode> is = read(streamPath(ns, stream));
    Optional<JsonNode> event = is.flatMap(s -> latest(s, tag));
    if (event.isEmpty()) {
      return notFound(full);
    }
    String digest = event.get().path("image").asText();
    Optional<ObjectNode> image = read(BASE + "images/" + digest);
    if (image.isEmpty()) {
      // imagestreamtag/rest.go imageFor: the tag points at an Image that no longer exists
      return LabDispatcher.status(404, "NotFound", "images.image.openshift.io \"" + digest + "\" not found");
    }
    ObjectNode istag = JSON.createObjectNode();
    istag.put("kind", "ImageStreamTag");
    istag.put("apiVersion", "image.openshift.io/v1");
    ObjectNode metadata = istag.putObject("metadata");
    metadata.put("name", full);
    metadata.put("namespace", ns);
    metadata.put("creationTimestamp", event.get().path("created").asText());
    istag.putObject("tag").put("name", tag);
    istag.put("generation", event.get().path("generation").asLong(1));
    istag.putObject("lookupPolicy").put("local", false);
    istag.set("image", image.get());
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody(JSON.writeValueAsString(istag));
  }

  /**
   * Removes the tag from the stream: a read-modify-write that the registry's recorder may race
   * (it adds tags on push), so a conflict is retried on a fresh read.
   */
  private MockResponse delete(String ns, String stream, String tag, String full) throws IOException {
    MockResponse put = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<ObjectNode> is = read(streamPath(ns, stream));
      if (is.isEmpty()) {
        return notFound(full);
      }
      boolean removed = removeWhere(is.get().path("spec").path("tags"), t -> tag.equals(t.path("name").asText()))
          | removeWhere(is.get().path("status").path("tags"), t -> tag.equals(t.path("tag").asText()));
      if (!removed) {
        return notFound(full);
      }
      put = store.dispatch(Store.request(HttpMethod.PUT, streamPath(ns, stream), JSON.writeValueAsString(is.get())));
      if (put.code() != 409) {
        break;
      }
    }
    if (put.code() != 200) {
      return put;
    }
    hooks.tagDeleted(ns, stream, tag);
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\","
            + "\"details\":{\"name\":\"" + full + "\",\"group\":\"image.openshift.io\","
            + "\"kind\":\"imagestreamtags\"}}");
  }

  private static Optional<JsonNode> latest(ObjectNode stream, String tag) {
    for (JsonNode t : stream.path("status").path("tags")) {
      if (tag.equals(t.path("tag").asText()) && t.path("items").size() > 0) {
        return Optional.of(t.path("items").get(0));
      }
    }
    return Optional.empty();
  }

  private static boolean removeWhere(JsonNode array, Predicate<JsonNode> drop) {
    if (!(array instanceof ArrayNode list)) {
      return false;
    }
    boolean removed = false;
    for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
      if (drop.test(it.next())) {
        it.remove();
        removed = true;
      }
    }
    return removed;
  }

  private Optional<ObjectNode> read(String path) throws IOException {
    MockResponse response = store.dispatch(Store.request(HttpMethod.GET, path, null));
    if (response.code() != 200) {
      return Optional.empty();
    }
    return Optional.of((ObjectNode) JSON.readTree(response.getBody().readUtf8()));
  }

  private static String streamPath(String ns, String stream) {
    return BASE + "namespaces/" + ns + "/imagestreams/" + stream;
  }

  private static MockResponse notFound(String full) {
    return LabDispatcher.status(404, "NotFound",
        "imagestreamtags.image.openshift.io \"" + full + "\" not found");
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }
}
