package dev.regcheck.snapshot;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads captured cluster state in the three layouts people hand over: an {@code oc adm
 * must-gather} (or {@code oc adm inspect}) tree, an Insights Operator archive, or a folder of
 * {@code oc get -o yaml|json} files (single objects, Lists, multi-document YAML), each as a folder
 * or a {@code .tar}/{@code .tar.gz}. Layouts are found, never assumed: the must-gather data sits
 * below an image folder whose name is a digest, the Insights sample below {@code docs/}.
 */
public final class CaptureReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SEARCH_DEPTH = 4;
  /** Go's time.String() in the must-gather {@code timestamp} file: "2021-08-03 10:12:00.0169 +0000 UTC m=+0.38". */
  private static final Pattern GO_TIME = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})(\\.\\d+)? \\+0000 UTC");
  private static final Pattern GATHERED_LOG = Pattern.compile(
      "namespaces?/([^/]+)/pods/([^/]+)/([^/]+)/\\3/logs/(current|previous)(?:\\.insecure)?\\.log");
  private static final Pattern INSIGHTS_LOG = Pattern.compile("config/pod/([^/]+)/logs/([^/]+)/[^/]+_(current|previous)\\.log");
  private static final Pattern LOG_TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2}) ");
  private static final Pattern INSIGHTS_NAME = Pattern.compile("insights-(\\d{4}-\\d{2}-\\d{2}-\\d{6})");

  /** Cluster-scoped types must-gather's gather script passes to inspect: {group, kind}. */
  private static final List<String[]> GATHERED_WHOLE = List.of(new String[] {"", "PersistentVolume"},
      new String[] {"", "Node"}, new String[] {"storage.k8s.io", "StorageClass"},
      new String[] {"config.openshift.io", "ClusterOperator"}, new String[] {"config.openshift.io", "ClusterVersion"});

  private CaptureReader() {}

  /** Made by must-gather: its image folder's {@code version} file says so ("openshift/must-gather"). */
  private static boolean gathered(Path dataRoot) {
    Path version = dataRoot.resolve("version");
    return Files.isRegularFile(version) && text(version).startsWith("openshift/must-gather");
  }

  /**
   * Reads {@code path}; an archive is unpacked into {@code scratch} (an empty folder the caller
   * removes), never anywhere else.
   */
  public static Capture read(Path path, Path scratch) throws CaptureException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new CaptureException(path + ": no such file or folder");
    }
    Path root = path;
    if (Files.isRegularFile(path) && Archives.isArchive(path)) {
      Archives.unpack(path, scratch);
      root = scratch;
    } else if (!Files.isDirectory(path) && !isObjectFile(path)) {
      throw new CaptureException(path + ": not a folder, a .tar/.tar.gz archive or a .yaml/.json file");
    }
    List<Path> files = files(path, root);
    Optional<Path> mustGather = dataRoot(root, d -> Files.isDirectory(d.resolve("cluster-scoped-resources"))
        || Files.isDirectory(d.resolve("namespaces")));
    Optional<Path> insights = dataRoot(root, d -> Files.isDirectory(d.resolve("config"))
        && (Files.isDirectory(d.resolve("config/clusteroperator")) || Files.isRegularFile(d.resolve("config/version.json"))));
    // the shallower wins: must-gather keeps an Insights archive in insights-data/, and Insights keeps
    // conditional/namespaces/ (which looks like a must-gather tree)
    if (mustGather.isPresent() && (insights.isEmpty()
        || mustGather.get().getNameCount() <= insights.get().getNameCount())) {
      Path data = mustGather.get();
      return read(Capture.Kind.MUST_GATHER, path, files.stream().filter(f -> f.startsWith(data)
          && !data.relativize(f).toString().startsWith("insights-data/")).toList(), data, capturedAt(data, path));
    }
    if (insights.isPresent()) {
      Path data = insights.get();
      return read(Capture.Kind.INSIGHTS, path, files.stream().filter(f -> f.startsWith(data)).toList(), data,
          capturedAt(data, path));
    }
    List<Path> objectFiles = files.stream().filter(CaptureReader::isObjectFile).toList();
    if (objectFiles.isEmpty()) {
      throw new CaptureException(path + ": " + (files.isEmpty() ? "empty" : "no must-gather tree, Insights archive or "
          + ".yaml/.json files of oc get in it"));
    }
    return read(Capture.Kind.OC_GET, path, files, root, capturedAt(root, path));
  }

  private static Capture read(Capture.Kind kind, Path path, List<Path> files, Path dataRoot,
      Optional<Instant> capturedAt) throws CaptureException {
    Map<String, CapturedObject> objects = new LinkedHashMap<>();
    Set<Capture.Scope> complete = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>();
    Map<Capture.PodLog, List<String>> logs = new LinkedHashMap<>();
    Optional<String> clusterId = Optional.empty();
    int skipped = 0;
    for (Path file : files) {
      String relative = dataRoot.relativize(file).toString();
      if (kind == Capture.Kind.INSIGHTS && relative.equals("config/id")) {
        clusterId = Optional.of(text(file).strip()).filter(s -> !s.isEmpty());
        continue;
      }
      if (!isObjectFile(file)) {
        podLog(relative).ifPresent(log -> logs.putIfAbsent(log, logLines(file)));
        continue;
      }
      for (JsonNode document : documents(file)) {
        if (!(document instanceof ObjectNode node)) {
          continue;
        }
        Optional<String[]> type = typeOf(kind, relative, node);
        if (type.isEmpty()) {
          skipped++;
          continue;
        }
        String apiVersion = type.get()[0];
        String typeKind = type.get()[1];
        if (typeKind.endsWith("List") && node.has("items")) {
          String itemKind = typeKind.substring(0, typeKind.length() - "List".length());
          JsonNode items = node.get("items");
          Set<String> namespaces = new LinkedHashSet<>();
          if (items instanceof ArrayNode array) {
            for (JsonNode item : array) {
              if (item instanceof ObjectNode object) {
                CapturedObject o = object(object, apiVersion, itemKind, relative);
                keep(objects, o);
                namespaces.add(o.namespace() == null ? "" : o.namespace());
              }
            }
          }
          // a List file holds every object of its kind where it was taken: the namespace its selfLink
          // names (a cluster-wide list: every namespace), else the folder's; as far as the selectors
          // of its selfLink chose (a recording's), else whole
          String selfLink = node.path("metadata").path("selfLink").asText("");
          Map<String, String> selectors = selectors(selfLink);
          String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
          if (!selectors.isEmpty()) {
            namespaces.clear(); // chosen objects prove nothing of the others in their namespaces
          }
          namespaces.add(selfLinkNamespace(selfLink).orElse(namespaceOfPath(relative)));
          if (!itemKind.isEmpty()) {
            namespaces.forEach(ns -> complete.add(new Capture.Scope(group, itemKind, ns,
                selectors.getOrDefault("labelSelector", ""), selectors.getOrDefault("fieldSelector", ""))));
          }
        } else {
          if (kind == Capture.Kind.INSIGHTS) {
            InsightsPaths.completeMetadata(relative, node);
          }
          keep(objects, object(node, apiVersion, typeKind, relative));
        }
      }
    }
    if (objects.isEmpty()) {
      throw new CaptureException(path + ": no Kubernetes objects in this " + kind.label());
    }
    if (skipped > 0) {
      notes.add(skipped + " document(s) without apiVersion and kind were skipped");
    }
    if (kind == Capture.Kind.INSIGHTS) {
      notes.add("an Insights archive is anonymised (hosts and IP addresses may be obfuscated, the registry's "
          + "httpSecret and storage names are x-ed) and sparse (pods, logs and events only of unhealthy operators; "
          + "no Deployments, Services, Routes or PersistentVolumeClaims)");
    }
    if (kind == Capture.Kind.MUST_GATHER && gathered(dataRoot)) {
      // the gather script inspects these types cluster-wide (one file per object, no List file): a
      // must-gather holds every one of them (a tree merely shaped like one, say a resource watch's, does not)
      GATHERED_WHOLE.forEach(s -> complete.add(new Capture.Scope(s[0], s[1], "")));
    }
    List<CapturedObject> all = List.copyOf(objects.values());
    Optional<CapturedObject> version = all.stream().filter(o -> o.kind().equals("ClusterVersion")).findFirst();
    Optional<String> clusterVersion = version.flatMap(CaptureReader::versionOf);
    if (clusterId.isEmpty()) {
      clusterId = version.map(v -> v.object().path("spec").path("clusterID").asText("")).filter(s -> !s.isEmpty());
    }
    logs.values().removeIf(Objects::isNull);
    return new Capture(kind, path, capturedAt, clusterVersion, clusterId, all, Set.copyOf(complete), List.copyOf(notes),
        Map.copyOf(logs));
  }

  /** The apiVersion and kind of a document: its own, else (Insights' typed gets) from where it lies. */
  private static Optional<String[]> typeOf(Capture.Kind kind, String relative, ObjectNode node) {
    String apiVersion = node.path("apiVersion").asText("");
    String k = node.path("kind").asText("");
    if (!apiVersion.isEmpty() && !k.isEmpty()) {
      return Optional.of(new String[] {apiVersion, k});
    }
    if (kind == Capture.Kind.INSIGHTS) {
      return InsightsPaths.typeOf(relative);
    }
    return Optional.empty();
  }

  private static CapturedObject object(ObjectNode node, String apiVersion, String kind, String source) {
    if (node.path("apiVersion").asText("").isEmpty()) {
      node.put("apiVersion", apiVersion);
    }
    if (node.path("kind").asText("").isEmpty()) {
      node.put("kind", kind);
    }
    JsonNode metadata = node.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    return new CapturedObject(node.get("apiVersion").asText(), node.get("kind").asText(),
        namespace.isEmpty() ? null : namespace, metadata.path("name").asText(""), node, source);
  }

  /** Keeps one copy of each object (a List and a single file often hold the same): the newest resourceVersion. */
  private static void keep(Map<String, CapturedObject> objects, CapturedObject o) {
    if (o.name().isEmpty()) {
      return;
    }
    objects.merge(o.key(), o, (old, now) -> version(now) > version(old) ? now : old);
  }

  private static long version(CapturedObject o) {
    try {
      return Long.parseLong(o.object().path("metadata").path("resourceVersion").asText("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<String> versionOf(CapturedObject clusterVersion) {
    JsonNode status = clusterVersion.object().path("status");
    String desired = status.path("desired").path("version").asText("");
    if (!desired.isEmpty()) {
      return Optional.of(desired);
    }
    return Optional.of(status.path("history").path(0).path("version").asText("")).filter(s -> !s.isEmpty());
  }

  /** {@code namespaces/<ns>/…} → ns; anything else is cluster-scoped (""). */
  /**
   * Where a list was taken, by its {@code metadata.selfLink} (set by API servers before 1.20, and
   * by regcheck's recordings): the namespace, or {@link Capture#ALL_NAMESPACES} for a list across the cluster.
   */
  static Optional<String> selfLinkNamespace(String selfLink) {
    int q = selfLink.indexOf('?');
    String[] p = (q < 0 ? selfLink : selfLink.substring(0, q)).replaceAll("^/+|/+$", "").split("/");
    int version = p.length > 0 && p[0].equals("api") ? 2 : p.length > 0 && p[0].equals("apis") ? 3 : -1;
    if (version < 0 || p.length <= version) {
      return Optional.empty();
    }
    if (p.length == version + 3 && p[version].equals("namespaces")) {
      return Optional.of(p[version + 1]);
    }
    return p.length == version + 1 ? Optional.of(Capture.ALL_NAMESPACES) : Optional.empty();
  }

  /** The label and field selectors a selfLink's query names (regcheck's recordings name them; API servers never did). */
  private static Map<String, String> selectors(String selfLink) {
    int q = selfLink.indexOf('?');
    Map<String, String> found = new LinkedHashMap<>(Recording.query(q < 0 ? null : selfLink.substring(q + 1)));
    found.keySet().retainAll(Set.of("labelSelector", "fieldSelector"));
    found.values().removeIf(String::isEmpty);
    return found;
  }

  /**
   * Which pod's log a file holds: must-gather's (and a recording's)
   * {@code namespaces/<ns>/pods/<pod>/<c>/<c>/logs/current.log}, {@code previous.log} (or their
   * {@code .insecure} twins), or Insights' {@code config/pod/<ns>/logs/<pod>/<c>_current.log}.
   */
  static Optional<Capture.PodLog> podLog(String relative) {
    Matcher m = GATHERED_LOG.matcher(relative);
    if (m.matches()) {
      return Optional.of(new Capture.PodLog(m.group(1), m.group(2), m.group(4).equals("previous")));
    }
    Matcher i = INSIGHTS_LOG.matcher(relative);
    return i.matches() ? Optional.of(new Capture.PodLog(i.group(1), i.group(2), i.group(3).equals("previous")))
        : Optional.empty();
  }

  /**
   * A log's lines without the timestamp oc asks for; null for an empty {@code previous.log} (oc
   * creates the file before it asks: empty says nothing, not even that the container never restarted).
   */
  private static List<String> logLines(Path file) {
    String text = text(file);
    if (text.isEmpty() && file.getFileName().toString().startsWith("previous")) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    text.lines().forEach(line -> lines.add(LOG_TIMESTAMP.matcher(line).replaceFirst("")));
    return List.copyOf(lines);
  }

  private static String namespaceOfPath(String relative) {
    String[] parts = relative.split("/");
    return parts.length > 2 && parts[0].equals("namespaces") ? parts[1] : "";
  }

  private static List<JsonNode> documents(Path file) throws CaptureException {
    List<JsonNode> documents = new ArrayList<>();
    boolean json = file.getFileName().toString().endsWith(".json");
    try (JsonParser parser = (json ? JSON : YAML).getFactory().createParser(file.toFile());
        MappingIterator<JsonNode> all = (json ? JSON : YAML).readValues(parser, JsonNode.class)) {
      while (all.hasNextValue()) {
        JsonNode document = all.nextValue();
        if (document != null && !document.isMissingNode() && !document.isNull()) {
          documents.add(document);
        }
      }
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new CaptureException(file + ": not valid " + (json ? "JSON" : "YAML") + where + " ("
          + e.getOriginalMessage().lines().findFirst().orElse("") + ")", e);
    } catch (IOException | RuntimeException e) {
      throw new CaptureException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
    return documents;
  }

  /** Every regular file below {@code root}; a link that leads out of it is refused. */
  private static List<Path> files(Path named, Path root) throws CaptureException {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      throw new CaptureException(named + ": cannot be read (" + e.getMessage() + ")", e);
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (Files.isSymbolicLink(p)) {
          Path target = p.toRealPath();
          if (!target.startsWith(real)) {
            throw new CaptureException(p + ": a link to " + target + ", outside " + named);
          }
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          files.add(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new CaptureException(named + ": cannot be read (" + e.getMessage() + ")", e);
    }
    return files;
  }

  /** The shallowest folder (at most {@value #SEARCH_DEPTH} below the root) that holds a layout's data. */
  private static Optional<Path> dataRoot(Path root, Predicate<Path> holds) {
    try (Stream<Path> dirs = Files.walk(root, SEARCH_DEPTH, new FileVisitOption[0])) {
      return dirs.filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)).filter(holds)
          .min(Comparator.comparingInt(Path::getNameCount).thenComparing(Path::toString));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** From an Insights archive's name, else the must-gather {@code timestamp} file of the data folder or a folder above it. */
  private static Optional<Instant> capturedAt(Path dataRoot, Path named) {
    Matcher insights = INSIGHTS_NAME.matcher(named.getFileName().toString());
    if (insights.find()) {
      try {
        return Optional.of(LocalDateTime.parse(insights.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss"))
            .toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e) {
        // not a time after all
      }
    }
    for (Path dir = dataRoot; dir != null; dir = dir.getParent()) {
      Path timestamp = dir.resolve("timestamp");
      if (Files.isRegularFile(timestamp)) {
        Matcher go = GO_TIME.matcher(text(timestamp).strip());
        if (go.find()) {
          return Optional.of(LocalDateTime.parse(go.group(1).replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        }
      }
      if (dir.equals(named) || dir.getNameCount() <= 1) {
        break;
      }
    }
    return Optional.empty();
  }

  private static boolean isObjectFile(Path file) {
    String name = file.getFileName().toString().toLowerCase();
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
