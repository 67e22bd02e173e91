package dev.regcheck.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.regcheck.result.Redactor;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a live run read from the API server ({@code --record DIR}): every object as the run last
 * saw it, and which kinds it listed whole, written as a folder of {@code oc get} files that
 * {@code audit --snapshot DIR} reads back.
 *
 * <p>It is fed the GET responses of the run's API client. A named GET keeps the object; a 404
 * for it, or a DELETE the run made, proves it absent. A list keeps its items; a list read to its
 * last page holds every object of its kind where it was taken (a namespace, or all of them) that
 * its selectors chose, so what it lacks is absent: it is written as the server's {@code <Kind>List}
 * with {@code metadata.selfLink} naming where it was taken and how it was chosen, which the reader
 * takes as that proof (an absent object is such a list, chosen by {@code metadata.name}, and
 * empty). Everything else is written in plain {@code List}s, which prove nothing absent. Pod logs
 * the run read are written where must-gather writes them.
 *
 * <p>Nothing secret is written: a Secret keeps its metadata and key names (certificates alone are
 * kept, as inspect keeps them), a route its certificate but not its key, token objects
 * ({@code oauthaccesstokens} and the like) are never recorded, and every file passes through the
 * run's redactor (its own token and password by value, anything shaped like a credential).
 */
public final class Recording {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Objects that are credentials themselves: never recorded, whatever the run read. */
  private static final Set<String> NEVER = Set.of("oauthaccesstokens", "useroauthaccesstokens",
      "oauthauthorizetokens", "tokenreviews");

  /** Where a request points: a collection or one object (of a group version, perhaps in a namespace). */
  record Target(String apiVersion, String namespace, String plural, String name, String subresource) {
    String group() {
      int slash = apiVersion.indexOf('/');
      return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
  }

  /** One object in the cluster. */
  record Key(String group, String plural, String namespace, String name) {}

  /**
   * A kind listed to its last page: in one namespace, or "*" (across the cluster: every namespace,
   * or a cluster-scoped kind); whole, or as far as its selectors chose ({@code query}: its
   * labelSelector and fieldSelector, URL-encoded; "" for none).
   */
  record Whole(String group, String plural, String namespace, String query) {}

  /**
   * What a written list says of its kind (its list kind: null when only the plural is known, as
   * after a 404), and (for a list chosen by selectors) which objects it held.
   */
  private record Listed(String apiVersion, String kind, String selfLink, Set<Key> keys) {}

  /** A pod's log as the run read it: the previous container's or the current one's. */
  record Log(String namespace, String pod, String container, boolean previous) implements Comparable<Log> {
    @Override
    public int compareTo(Log o) {
      return toString().compareTo(o.toString());
    }
  }

  /** Tells the kind of a resource the run only knows by its plural (an API server's discovery): empty if unknown. */
  @FunctionalInterface
  public interface Kinds {
    Optional<String> kindOf(String apiVersion, String plural);
  }

  /** A paged list on its way: where it was taken, and what its pages held so far. */
  private record Chain(Whole scope, Listed listed) {}

  private final Map<Key, ObjectNode> objects = new ConcurrentHashMap<>();
  private final Map<Whole, Listed> wholes = new ConcurrentHashMap<>();
  private final Map<String, Chain> pending = new ConcurrentHashMap<>();
  private final Map<Log, String> logs = new ConcurrentHashMap<>();
  /** Kinds by group and plural, as the objects and lists the run read named them. */
  private final Map<String, String> kinds = new ConcurrentHashMap<>();

  /** Whether a response to this request may hold what is recorded (a GET that is no watch, of no token: objects, lists, pod logs). */
  public boolean wants(String method, URI uri) {
    if (!"GET".equals(method)) {
      return false;
    }
    Map<String, String> query = query(uri.getRawQuery());
    if (isTrue(query.get("watch")) || isTrue(query.get("follow"))) {
      return false;
    }
    return target(uri.getRawPath()).filter(t -> (t.subresource() == null || isLog(t)) && !NEVER.contains(t.plural()))
        .isPresent();
  }

  private static boolean isLog(Target t) {
    return t.plural().equals("pods") && "log".equals(t.subresource()) && t.namespace() != null;
  }

  /** A GET's response: its status code and body. */
  public void read(URI uri, int code, byte[] body) {
    Optional<Target> t = target(uri.getRawPath());
    if (t.isPresent() && isLog(t.get()) && code == 200) {
      Map<String, String> query = query(uri.getRawQuery());
      logs.put(new Log(t.get().namespace(), t.get().name(), query.getOrDefault("container", ""),
          isTrue(query.get("previous"))), new String(body, StandardCharsets.UTF_8));
      return;
    }
    if (t.isEmpty() || t.get().subresource() != null || NEVER.contains(t.get().plural())) {
      return;
    }
    Target target = t.get();
    if (code == 404 && target.name() != null) {
      gone(target, target.namespace(), target.name()); // a 404 proves the object absent, as much as a list would
      return;
    }
    if (code != 200) {
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      return; // not an object: a log, a table, a truncated body
    }
    if (!(node instanceof ObjectNode object) || object.path("kind").asText("").equals("Status")) {
      return;
    }
    if (target.name() != null) {
      keep(key(target, target.namespace(), target.name()), target.apiVersion(), object);
    } else if (object.get("items") instanceof ArrayNode items && object.path("kind").asText("").endsWith("List")) {
      list(target, query(uri.getRawQuery()), object, items);
    }
  }

  /** The run deleted an object: it is no longer what the cluster holds. */
  public void deleted(URI uri) {
    target(uri.getRawPath()).filter(t -> t.name() != null && t.subresource() == null && !NEVER.contains(t.plural()))
        .ifPresent(t -> gone(t, t.namespace(), t.name()));
  }

  /** The object is not there: forgotten, and written as an empty list of its name. */
  private void gone(Target target, String namespace, String name) {
    Key key = key(target, namespace, name);
    objects.remove(key);
    Whole absence = absence(key);
    wholes.put(absence, new Listed(target.apiVersion(), null, collectionPath(new Target(target.apiVersion(), namespace,
        target.plural(), null, null)) + "?" + absence.query(), Set.of()));
  }

  /** The list that proves an object absent: its kind where it would be, chosen by its name. */
  private static Whole absence(Key key) {
    return new Whole(key.group(), key.plural(), key.namespace() == null ? "*" : key.namespace(),
        "fieldSelector=" + URLEncoder.encode("metadata.name=" + key.name(), StandardCharsets.UTF_8));
  }

  /** How many objects are recorded. */
  public int size() {
    return objects.size();
  }

  private void list(Target target, Map<String, String> query, ObjectNode list, ArrayNode items) {
    String listKind = list.path("kind").asText();
    String kind = listKind.substring(0, listKind.length() - "List".length());
    String apiVersion = list.path("apiVersion").asText(target.apiVersion());
    if (!kind.isEmpty()) {
      kinds.put(target.group() + "/" + target.plural(), kind);
    }
    Set<Key> seen = new HashSet<>();
    for (JsonNode item : items) {
      if (item instanceof ObjectNode object) {
        object.put("apiVersion", object.path("apiVersion").asText(apiVersion));
        object.put("kind", object.path("kind").asText(kind));
        String namespace = object.path("metadata").path("namespace").asText("");
        Key key = key(target, namespace.isEmpty() ? null : namespace, object.path("metadata").path("name").asText());
        keep(key, apiVersion, object);
        seen.add(key);
      }
    }
    String next = list.path("metadata").path("continue").asText("");
    String token = query.get("continue");
    Chain chain;
    if (token == null || token.isEmpty()) {
      String selectors = selectors(query);
      chain = kind.isEmpty() ? null : new Chain(new Whole(target.group(), target.plural(),
          target.namespace() == null ? "*" : target.namespace(), selectors), new Listed(apiVersion, listKind,
          collectionPath(target) + (selectors.isEmpty() ? "" : "?" + selectors), ConcurrentHashMap.newKeySet()));
    } else {
      chain = pending.remove(token);
    }
    if (chain == null) {
      return;
    }
    chain.listed().keys().addAll(seen);
    if (!next.isEmpty()) {
      pending.put(next, chain);
      return;
    }
    // the last page: the kind is held whole there (or as far as the selectors chose); what a whole list lacks is gone
    Whole scope = chain.scope();
    if (scope.query().isEmpty()) {
      objects.keySet().removeIf(k -> in(scope, k) && !chain.listed().keys().contains(k));
    }
    wholes.put(scope, chain.listed());
  }

  /** A list's label and field selectors as a query ("" for none), in one order. */
  private static String selectors(Map<String, String> query) {
    StringBuilder q = new StringBuilder();
    for (String name : List.of("labelSelector", "fieldSelector")) {
      if (!blank(query.get(name))) {
        q.append(q.length() == 0 ? "" : "&").append(name).append('=')
            .append(URLEncoder.encode(query.get(name), StandardCharsets.UTF_8));
      }
    }
    return q.toString();
  }

  private void keep(Key key, String apiVersion, ObjectNode object) {
    object.put("apiVersion", object.path("apiVersion").asText(apiVersion));
    objects.put(key, Sanitize.keyNamesOnly(object));
    if (!object.path("kind").asText("").isEmpty()) {
      kinds.put(key.group() + "/" + key.plural(), object.path("kind").asText());
    }
    wholes.remove(absence(key)); // there after all (created since, or read again): no longer absent
  }

  /**
   * Writes the recording into {@code dir} (created if need be): a {@code <Kind>List} file for
   * each kind listed whole or by selectors (its {@code selfLink} says where and how), a
   * {@code List} file of the rest per namespace and kind, and a {@code timestamp}. Returns how many
   * objects it wrote.
   */
  public int write(Path dir, Redactor redactor, Instant now, Kinds discovery) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("timestamp"), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS")
        .withZone(ZoneOffset.UTC).format(now) + " +0000 UTC\n", StandardCharsets.UTF_8);
    Map<Key, ObjectNode> left = new TreeMap<>(Comparator.comparing(Key::toString));
    left.putAll(objects);
    Set<Key> written = new HashSet<>();
    Map<String, Integer> names = new HashMap<>();
    List<Map.Entry<Whole, Listed>> lists = wholes.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<Whole, Listed> e) -> !e.getKey().query().isEmpty())
            .thenComparing(e -> e.getKey().toString())).toList();
    for (Map.Entry<Whole, Listed> entry : lists) {
      Whole scope = entry.getKey();
      Listed listed = entry.getValue();
      Optional<String> listKind = Optional.ofNullable(listed.kind()).or(() -> Optional.ofNullable(
          kinds.get(scope.group() + "/" + scope.plural())).or(() -> discovery.kindOf(listed.apiVersion(), scope.plural()))
          .map(k -> k + "List"));
      if (listKind.isEmpty()) {
        continue; // an absence of a kind nobody can name: not written (the audit says "not in the capture")
      }
      ObjectNode list = JSON.createObjectNode().put("apiVersion", listed.apiVersion()).put("kind", listKind.get());
      list.putObject("metadata").put("selfLink", listed.selfLink());
      ArrayNode items = list.putArray("items");
      // a whole list takes every object of its scope; a chosen one, those its pages held that are still there
      List<Key> keys = scope.query().isEmpty() ? left.keySet().stream().filter(k -> in(scope, k)).toList()
          : listed.keys().stream().filter(objects::containsKey).sorted(Comparator.comparing(Key::toString)).toList();
      keys.forEach(k -> items.add(objects.get(k)));
      keys.forEach(left::remove);
      written.addAll(keys);
      file(dir, scope.namespace(), scope.plural(), scope.group(), scope.query().isEmpty() ? 0
          : names.merge(scope.namespace() + "/" + scope.plural() + "." + scope.group(), 1, Integer::sum), list, redactor);
    }
    Map<String, List<Map.Entry<Key, ObjectNode>>> rest = new LinkedHashMap<>();
    left.entrySet().forEach(e -> rest.computeIfAbsent(e.getKey().namespace() + "\u0000" + e.getKey().plural()
        + "\u0000" + e.getKey().group(), x -> new ArrayList<>()).add(e));
    for (List<Map.Entry<Key, ObjectNode>> group : rest.values()) {
      Key first = group.get(0).getKey();
      ObjectNode list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "List");
      list.putObject("metadata");
      ArrayNode items = list.putArray("items");
      group.forEach(e -> items.add(e.getValue()));
      group.forEach(e -> written.add(e.getKey()));
      file(dir, first.namespace(), first.plural(), first.group(), 0, list, redactor);
    }
    for (Map.Entry<Log, String> log : new TreeMap<>(logs).entrySet()) {
      // as must-gather lays logs out: pods/<pod>/<container>/<container>/logs/current.log (or previous.log)
      Log l = log.getKey();
      String container = !l.container().isEmpty() ? l.container() : Optional.ofNullable(objects.get(
          new Key("", "pods", l.namespace(), l.pod()))).map(p -> p.path("spec").path("containers").path(0)
              .path("name").asText("")).filter(n -> !n.isEmpty()).orElse("container");
      Path file = dir.resolve("namespace").resolve(l.namespace()).resolve("pods").resolve(l.pod()).resolve(container)
          .resolve(container).resolve("logs").resolve(l.previous() ? "previous.log" : "current.log");
      Files.createDirectories(file.getParent());
      Files.writeString(file, redactor.redact(log.getValue()), StandardCharsets.UTF_8);
    }
    return written.size();
  }

  private static void file(Path dir, String namespace, String plural, String group, int selected, ObjectNode list,
      Redactor redactor) throws IOException {
    // cluster-wide/, cluster-scoped/, namespace/<ns>/: no folder named as a must-gather's or an Insights archive's
    Path folder = namespace == null ? dir.resolve("cluster-scoped") : namespace.equals("*")
        ? dir.resolve("cluster-wide") : dir.resolve("namespace").resolve(namespace);
    Files.createDirectories(folder);
    String text;
    try {
      text = YAML.writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IOException("cannot write " + plural + ": " + e.getMessage(), e);
    }
    Files.writeString(folder.resolve(plural + (group.isEmpty() ? "" : "." + group)
        + (selected == 0 ? "" : ".selected-" + selected) + ".yaml"), redactor.redact(text), StandardCharsets.UTF_8);
  }

  private static boolean in(Whole scope, Key key) {
    return scope.group().equals(key.group()) && scope.plural().equals(key.plural())
        && (scope.namespace().equals("*") || scope.namespace().equals(key.namespace()));
  }

  private static Key key(Target target, String namespace, String name) {
    return new Key(target.group(), target.plural(), namespace, name);
  }

  private static String collectionPath(Target t) {
    return (t.apiVersion().contains("/") ? "/apis/" : "/api/") + t.apiVersion()
        + (t.namespace() == null ? "" : "/namespaces/" + t.namespace()) + "/" + t.plural();
  }

  /** Where a request path points; empty when it is no resource path of the API. */
  static Optional<Target> target(String rawPath) {
    if (rawPath == null) {
      return Optional.empty();
    }
    String[] p = rawPath.replaceAll("^/+|/+$", "").split("/");
    int i;
    String apiVersion;
    if (p.length >= 3 && p[0].equals("api")) {
      apiVersion = p[1];
      i = 2;
    } else if (p.length >= 4 && p[0].equals("apis")) {
      apiVersion = p[1] + "/" + p[2];
      i = 3;
    } else {
      return Optional.empty();
    }
    String namespace = null;
    boolean namespaceItself = p.length - i == 3 && (p[i + 2].equals("status") || p[i + 2].equals("finalize"));
    if (p[i].equals("namespaces") && p.length - i >= 3 && !namespaceItself) {
      namespace = decode(p[i + 1]);
      i += 2;
    }
    int left = p.length - i;
    if (left < 1 || left > 3) {
      return Optional.empty();
    }
    return Optional.of(new Target(apiVersion, namespace, p[i], left > 1 ? decode(p[i + 1]) : null,
        left > 2 ? p[i + 2] : null));
  }

  /** A raw query string's parameters, decoded (the last of a repeated name wins). */
  static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (!pair.isEmpty()) {
          q.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
      }
    }
    return q;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static boolean isTrue(String v) {
    return v != null && (v.equals("true") || v.equals("1"));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
