package dev.regcheck.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.regcheck.result.Text;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.regcheck.catalog.Catalog;
import dev.regcheck.pki.Subject;
import dev.regcheck.registry.AddressMap;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Reads a lab profile. Precedence, lowest first: the YAML file, then environment variables named
 * {@code REGCHECK_<SECTION>_<FIELD>} (e.g. {@code REGCHECK_TIMEOUTS_SETTLE}), then {@code --set
 * section.field=value} from the command line. Every problem is one {@link ProfileException} line
 * naming the file, the field and what was expected.
 */
public final class ProfileLoader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern DNS_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern K8S_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final Map<String, String> environment;
  private final Map<String, String> overrides;

  public ProfileLoader(Map<String, String> environment, Map<String, String> overrides) {
    this.environment = Map.copyOf(environment);
    this.overrides = new LinkedHashMap<>(overrides);
  }

  public static ProfileLoader fromSystem(Map<String, String> overrides) {
    return new ProfileLoader(System.getenv(), overrides);
  }

  /** {@code sandbox} or a bare name means {@code profiles/<name>.yaml}; anything else is a path. */
  public static Path locate(String nameOrPath, Path profilesDir) {
    if (!nameOrPath.contains("/") && !nameOrPath.endsWith(".yaml") && !nameOrPath.endsWith(".yml")) {
      return profilesDir.resolve(nameOrPath + ".yaml");
    }
    return Path.of(nameOrPath);
  }

  public LabProfile load(Path file) {
    String src = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new ProfileException(src, null, "no such profile file");
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ProfileException(src, null, "not valid YAML" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ProfileException(src, null, "cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ProfileException(src, null, "is empty; expected a mapping with at least 'name'");
    }
    return parse(src, root, file.toAbsolutePath().getParent()).withSource(file);
  }

  /** Parses a profile from a tree; {@code baseDir} resolves relative file names. */
  public LabProfile parse(String src, JsonNode root, Path baseDir) {
    Reader r = new Reader(src, root, "", baseDir);
    String name = r.name("name", true, K8S_NAME, "a lower-case name such as 'sandbox' or 'cluster1'");
    String description = r.text("description", false, null);
    boolean embedded = r.bool("embedded", false);
    String lang = r.oneOf("lang", "en", "zh", "en");

    Reader c = r.section("cluster");
    String apiUrl = c.text("apiUrl", false, null);
    if (apiUrl != null && !apiUrl.matches("https://[^/\\s]+(:\\d+)?/?")) {
      throw new ProfileException(src, "cluster.apiUrl", "expected https://host:port, got '" + apiUrl + "'");
    }
    Path kubeconfig = c.file("kubeconfig", false); // checked when connecting: `list` needs no cluster
    String context = c.text("context", false, null);
    String appsDomain = c.name("appsDomain", false, DNS_NAME, "a DNS name such as apps.cluster1.example.com");
    List<String> nodes = c.list("nodes");
    Map<String, String> hosts = c.hosts("hosts");
    c.done();

    Reader i = r.section("identity");
    String user = i.text("user", false, null);
    if (user != null && user.contains(":")) {
      throw new ProfileException(src, "identity.user", "a user name with ':' fails registry login; got '" + user + "'");
    }
    SecretRef token = i.secret("token");
    SecretRef password = i.secret("password");
    SecretRef unprivileged = i.secret("unprivilegedToken");
    i.done();

    Reader n = r.section("nfs");
    String nfsServer = n.text("server", true, null);
    String nfsPath = n.text("path", true, null);
    if (!nfsPath.startsWith("/")) {
      throw new ProfileException(src, "nfs.path", "expected an absolute path such as /nfs, got '" + nfsPath + "'");
    }
    n.done();

    Reader s = r.section("storage");
    String pvName = s.name("pv", false, DNS_NAME, "a PersistentVolume name");
    String capacity = s.quantity("capacity", "200Gi");
    String pvcName = s.name("pvc", false, K8S_NAME, "a PersistentVolumeClaim name");
    String request = s.quantity("request", capacity);
    String claim = s.name("claim", false, K8S_NAME, "the claim the registry uses");
    s.done();

    Reader g = r.section("registry");
    String namespace = g.name("namespace", false, K8S_NAME, "a namespace");
    String config = g.name("config", false, K8S_NAME, "the operator config's name");
    String deployment = g.name("deployment", false, K8S_NAME, "a deployment name");
    String selector = g.text("podSelector", false, null);
    String service = g.name("service", false, K8S_NAME, "a Service name");
    String access = g.oneOf("access", "auto", "auto", "endpoints", "service", "port-forward");
    g.done();

    Reader ti = r.section("testImage");
    String repository = ti.text("repository", false, "openshift/hello-world");
    if (!repository.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]+([._-][a-z0-9]+)*")) {
      throw new ProfileException(src, "testImage.repository",
          "expected <project>/<image> (the registry takes exactly two levels), got '" + repository + "'");
    }
    String tag = ti.text("tag", false, null);
    if (tag != null && !tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) {
      throw new ProfileException(src, "testImage.tag", "expected a tag such as latest, got '" + tag + "'");
    }
    String source = ti.text("source", false, null);
    if (source != null && !source.matches("[a-z0-9.-]+(:\\d+)?/[^\\s:@]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})")) {
      throw new ProfileException(src, "testImage.source",
          "expected a full image reference such as docker.io/library/hello-world:latest, got '" + source + "'");
    }
    String format = ti.oneOf("format", "docker", "docker", "oci");
    ti.done();

    LabProfile.Exposure exposure = exposure(r.section("exposure"), src, appsDomain);

    Reader t = r.section("timeouts");
    Duration settle = t.duration("settle", Duration.ofMinutes(5));
    Duration poll = t.duration("poll", Duration.ofSeconds(1));
    Duration request2 = t.duration("request", Duration.ofSeconds(10));
    Duration hotLoop = t.duration("hotLoopWindow", Duration.ofSeconds(15));
    t.done();
    if (poll.compareTo(settle) > 0) {
      throw new ProfileException(src, "timeouts.poll", "must not be longer than timeouts.settle (" + settle + ")");
    }

    Reader a = r.section("apply");
    boolean consent = a.bool("consent", false);
    a.done();
    Path knownFile = r.file("knownIssues", true);
    if (knownFile == null && baseDir != null && Files.isRegularFile(baseDir.resolve(name + ".known-issues.yaml"))) {
      knownFile = baseDir.resolve(name + ".known-issues.yaml");
    }
    List<LabProfile.KnownIssue> known = knownFile == null ? List.of() : knownIssues(knownFile);
    r.done();

    Set<String> unused = new HashSet<>(overrides.keySet());
    unused.removeAll(r.consumed);
    if (!unused.isEmpty()) {
      String key = unused.iterator().next();
      throw new ProfileException(src, key, "--set names a field the profile does not have");
    }

    return new LabProfile(
        name,
        description,
        embedded,
        new LabProfile.Cluster(apiUrl, kubeconfig, context, appsDomain, nodes, hosts),
        new LabProfile.Identity(user, token, password, unprivileged),
        new LabProfile.Nfs(nfsServer, nfsPath),
        new LabProfile.Storage(
            or(pvName, "internal-registry"),
            capacity,
            or(pvcName, "internal-registry-pvc"),
            request,
            or(claim, or(pvcName, "internal-registry-pvc"))),
        new LabProfile.Registry(
            or(namespace, "openshift-image-registry"),
            or(config, "cluster"),
            or(deployment, "image-registry"),
            or(selector, "docker-registry=default"),
            or(service, "image-registry"),
            access),
        new LabProfile.TestImage(repository, tag, source, format),
        exposure,
        new LabProfile.Timeouts(settle, poll, request2, hotLoop),
        new LabProfile.Apply(consent),
        known,
        lang,
        null);
  }

  /**
   * {@code exposure}: which routes (S10/S11), the custom route's entry and certificate, and the
   * workstation's trust anchors. Defaults are the document's values, the host derived from
   * {@code cluster.appsDomain} ({@code registry.<apps domain>}).
   */
  private static LabProfile.Exposure exposure(Reader e, String src, String appsDomain) {
    String routes = e.oneOf("routes", "both", "default", "custom", "both", "none");
    Reader rt = e.section("route");
    String routeName = rt.name("name", false, K8S_NAME, "a Route name such as public-routes");
    if ("default-route".equals(routeName)) {
      throw new ProfileException(src, "exposure.route.name", "'default-route' is the operator's own route; "
          + "the operator rejects a spec.routes entry of that name (VerificationFailed): use public-routes");
    }
    String hostname = rt.name("hostname", false, DNS_NAME, "a DNS name such as registry.apps.cluster1.example.com");
    if (hostname == null && appsDomain != null) {
      hostname = "registry." + appsDomain;
    }
    String secret = rt.name("secret", false, K8S_NAME, "a Secret name such as registry");
    rt.done();
    Reader c = e.section("certificate");
    String subject = c.text("subject", false, "/C=CN/ST=Shanghai/L=Shanghai/O=Company/OU=SH/CN=xiaohui.cn");
    if (!subject.matches("(/[A-Za-z]+=[^/]+)+")) {
      throw new ProfileException(src, "exposure.certificate.subject",
          "expected openssl's -subj form such as /C=CN/O=Company/CN=xiaohui.cn, got '" + subject + "'");
    }
    try {
      Subject.parse(subject);
    } catch (IllegalArgumentException bad) {
      throw new ProfileException(src, "exposure.certificate.subject", Text.firstLine(bad.getMessage()));
    }
    int keyBits = c.integer("keyBits", 4096, 2048, 16384);
    int days = c.integer("days", 3650, 1, 36500);
    Path rootCa = c.file("rootCa", false);
    SecretRef rootKey = c.secret("rootKey");
    Path dir = c.file("dir", false);
    c.done();
    Path anchors = e.file("trustAnchors", false);
    e.done();
    return new LabProfile.Exposure(routes,
        new LabProfile.CustomRoute(or(routeName, "public-routes"), hostname, or(secret, "registry")),
        new LabProfile.Certificate(subject, keyBits, days, rootCa, rootKey, dir),
        anchors == null ? Path.of("/etc/pki/ca-trust/source/anchors") : anchors);
  }

  /**
   * A known-issues file: a list of {@code {check: S06.3, reason: "...", until: 2026-12-31}}; each
   * problem is one line naming the file, the entry and the field.
   */
  static List<LabProfile.KnownIssue> knownIssues(Path file) {
    String src = file.toString();
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new ProfileException(src, null, "not a readable known-issues list: " + Text.firstLine(e.getMessage()));
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return List.of();
    }
    if (!root.isArray()) {
      throw new ProfileException(src, null, "expected a list of {check, reason, until}");
    }
    List<LabProfile.KnownIssue> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode e = root.get(i);
      String at = "[" + i + "]";
      if (!e.isObject()) {
        throw new ProfileException(src, at, "expected a mapping {check, reason, until}");
      }
      for (var it = e.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!Set.of("check", "reason", "until").contains(k)) {
          throw new ProfileException(src, at + "." + k, "unknown field; expected one of [check, reason, until]");
        }
      }
      String check = e.path("check").asText("");
      if (Catalog.find(check).isEmpty()) {
        throw new ProfileException(src, at + ".check", "expected a check id of the catalog such as S06.3, got '" + check + "'");
      }
      if (!seen.add(check)) {
        throw new ProfileException(src, at + ".check", check + " is listed twice");
      }
      String reason = e.path("reason").asText("").strip();
      if (reason.isEmpty()) {
        throw new ProfileException(src, at + ".reason", "is required: say why the failure is accepted (a ticket, an owner)");
      }
      String until = e.path("until").asText("");
      LocalDate date;
      try {
        date = LocalDate.parse(until);
      } catch (DateTimeParseException ex) {
        throw new ProfileException(src, at + ".until", "expected a date such as 2026-12-31, got '" + until + "'");
      }
      out.add(new LabProfile.KnownIssue(check, reason, date));
    }
    return List.copyOf(out);
  }

  private static String or(String v, String d) {
    return v == null ? d : v;
  }

  /** Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, or combinations like {@code 1m30s}. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      long v = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(v);
        case "s" -> Duration.ofSeconds(v);
        case "m" -> Duration.ofMinutes(v);
        default -> Duration.ofHours(v);
      });
      end = m.end();
    }
    return end == text.length() && end > 0 ? d : null;
  }

  /** Reads one mapping, remembering which keys it used so unknown ones are named. */
  private final class Reader {
    private final String src;
    private final JsonNode node;
    private final String prefix;
    private final Path baseDir;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> consumed;

    Reader(String src, JsonNode node, String prefix, Path baseDir) {
      this(src, node, prefix, baseDir, new HashSet<>());
    }

    private Reader(String src, JsonNode node, String prefix, Path baseDir, Set<String> consumed) {
      this.src = src;
      this.prefix = prefix;
      this.baseDir = baseDir;
      this.consumed = consumed;
      if (node != null && !node.isNull() && !node.isObject()) {
        throw new ProfileException(src, prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1),
            "expected a mapping, got " + kind(node));
      }
      this.node = node == null || node.isNull() ? YAML.createObjectNode() : node;
    }

    Reader section(String key) {
      seen.add(key);
      return new Reader(src, node.get(key), prefix + key + ".", baseDir, consumed);
    }

    void done() {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!seen.contains(k)) {
          List<String> known = new ArrayList<>(seen);
          known.sort(null);
          throw new ProfileException(src, prefix + k, "unknown field; expected one of " + known);
        }
      }
    }

    /** The raw text of a scalar, after environment and command-line overrides. */
    private String raw(String key) {
      seen.add(key);
      String path = prefix + key;
      consumed.add(path);
      if (overrides.containsKey(path)) {
        return overrides.get(path);
      }
      String env = environment.get(envName(path));
      if (env != null) {
        return env;
      }
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isValueNode()) {
        throw new ProfileException(src, path, "expected a single value, got " + kind(v));
      }
      return v.asText();
    }

    String text(String key, boolean required, String dflt) {
      String v = raw(key);
      if (v == null || v.isBlank()) {
        if (required) {
          throw new ProfileException(src, prefix + key, "is required");
        }
        return dflt;
      }
      return v.strip();
    }

    String name(String key, boolean required, Pattern pattern, String expected) {
      String v = text(key, required, null);
      if (v != null && !pattern.matcher(v).matches()) {
        throw new ProfileException(src, prefix + key, "expected " + expected + ", got '" + v + "'");
      }
      return v;
    }

    boolean bool(String key, boolean dflt) {
      String v = text(key, false, null);
      if (v == null) {
        return dflt;
      }
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true", "yes" -> true;
        case "false", "no" -> false;
        default -> throw new ProfileException(src, prefix + key, "expected true or false, got '" + v + "'");
      };
    }

    String oneOf(String key, String dflt, String... allowed) {
      String v = text(key, false, dflt);
      if (!List.of(allowed).contains(v)) {
        throw new ProfileException(src, prefix + key, "expected one of " + List.of(allowed) + ", got '" + v + "'");
      }
      return v;
    }

    String quantity(String key, String dflt) {
      String v = text(key, false, dflt);
      try {
        if (Quantity.getAmountInBytes(new Quantity(v)).signum() <= 0) {
          throw new IllegalArgumentException();
        }
      } catch (RuntimeException e) {
        throw new ProfileException(src, prefix + key, "expected a positive size such as 200Gi, got '" + v + "'");
      }
      return v;
    }

    int integer(String key, int dflt, int min, int max) {
      String v = text(key, false, null);
      if (v == null) {
        return dflt;
      }
      try {
        int i = Integer.parseInt(v);
        if (i >= min && i <= max) {
          return i;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new ProfileException(src, prefix + key, "expected a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    Duration duration(String key, Duration dflt) {
      String v = text(key, false, null);
      if (v == null) {
        return dflt;
      }
      Duration d;
      try {
        d = parseDuration(v);
      } catch (NumberFormatException | ArithmeticException e) {
        d = null;
      }
      if (d == null || d.isZero()) {
        throw new ProfileException(src, prefix + key, "expected a duration such as 500ms, 10s, 5m or 1m30s, got '" + v + "'");
      }
      return d;
    }

    Path file(String key, boolean mustExist) {
      String v = text(key, false, null);
      if (v == null) {
        return null;
      }
      Path p = v.startsWith("~/")
          ? Path.of(System.getProperty("user.home")).resolve(v.substring(2))
          : baseDir == null ? Path.of(v) : baseDir.resolve(v).normalize();
      if (mustExist && !Files.isRegularFile(p)) {
        throw new ProfileException(src, prefix + key, "file " + p + " does not exist");
      }
      return p;
    }

    List<String> list(String key) {
      seen.add(key);
      consumed.add(prefix + key);
      String override = overrides.getOrDefault(prefix + key, environment.get(envName(prefix + key)));
      if (override != null) {
        return List.of(override.split("\\s*,\\s*"));
      }
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        throw new ProfileException(src, prefix + key, "expected a list, got " + kind(v));
      }
      List<String> out = new ArrayList<>();
      v.forEach(e -> out.add(e.asText()));
      return List.copyOf(out);
    }

    /**
     * A host map: {@code host[:port]: address[:port]} entries; an override is
     * {@code host=address,host=address}.
     */
    Map<String, String> hosts(String key) {
      seen.add(key);
      String path = prefix + key;
      consumed.add(path);
      Map<String, String> out = new LinkedHashMap<>();
      String override = overrides.getOrDefault(path, environment.get(envName(path)));
      if (override != null) {
        for (String pair : override.split("\\s*,\\s*")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new ProfileException(src, path, "expected host=address pairs separated by commas, got '" + pair + "'");
          }
          out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
      } else {
        JsonNode v = node.get(key);
        if (v != null && !v.isNull()) {
          if (!v.isObject()) {
            throw new ProfileException(src, path, "expected a mapping of host[:port] to address[:port], got " + kind(v));
          }
          for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode()) {
              throw new ProfileException(src, path + "." + e.getKey(), "expected an address such as 10.0.0.5 or 127.0.0.1:5000");
            }
            out.put(e.getKey(), e.getValue().asText());
          }
        }
      }
      try {
        AddressMap.of(out);
      } catch (IllegalArgumentException e) {
        throw new ProfileException(src, path, e.getMessage());
      }
      return Map.copyOf(out);
    }

    SecretRef secret(String key) {
      seen.add(key);
      String path = prefix + key;
      consumed.add(path);
      JsonNode v = node.get(key);
      if (overrides.containsKey(path) || environment.containsKey(envName(path))) {
        throw new ProfileException(src, path, "secrets are never given inline; use {env: NAME} or {file: PATH} in the profile");
      }
      // --set may name where a secret is (path.file=/x or path.env=NAME), never the secret itself
      consumed.add(path + ".file");
      consumed.add(path + ".env");
      if (overrides.containsKey(path + ".file") || overrides.containsKey(path + ".env")) {
        var ref = YAML.createObjectNode();
        if (overrides.containsKey(path + ".file")) {
          ref.put("file", overrides.get(path + ".file"));
        }
        if (overrides.containsKey(path + ".env")) {
          ref.put("env", overrides.get(path + ".env"));
        }
        v = ref;
      }
      if (v == null || v.isNull()) {
        return null;
      }
      if (v.isValueNode()) {
        throw new ProfileException(src, path, "secrets are never inline; expected {env: NAME} or {file: PATH}");
      }
      Map<String, String> m = new HashMap<>();
      for (var it = v.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          throw new ProfileException(src, path + "." + e.getKey(), "expected a name, got " + kind(e.getValue()));
        }
        m.put(e.getKey(), e.getValue().asText());
      }
      Set<String> extra = new HashSet<>(m.keySet());
      extra.removeAll(Set.of("env", "file"));
      if (!extra.isEmpty() || m.size() != 1) {
        throw new ProfileException(src, path, "expected exactly one of {env: NAME} or {file: PATH}, got " + m.keySet());
      }
      String file = m.get("file");
      if (file != null && baseDir != null && !file.startsWith("/")) {
        file = baseDir.resolve(file).normalize().toString();
      }
      if (file != null && !Files.isRegularFile(Path.of(file))) {
        throw new ProfileException(src, path + ".file", "file " + file + " does not exist");
      }
      return new SecretRef(m.get("env"), file);
    }

    private String kind(JsonNode v) {
      return v.isArray() ? "a list" : v.isObject() ? "a mapping" : "'" + v.asText() + "'";
    }
  }

  /** {@code timeouts.hotLoopWindow} → {@code REGCHECK_TIMEOUTS_HOT_LOOP_WINDOW}. */
  static String envName(String path) {
    return "REGCHECK_" + path.replace('.', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** For tests: parse YAML text. */
  public LabProfile parseText(String src, String yaml, Path baseDir) {
    try {
      JsonNode root = YAML.readTree(yaml);
      return parse(src, root == null ? (ObjectNode) YAML.createObjectNode() : root, baseDir);
    } catch (JsonProcessingException e) {
      throw new ProfileException(src, null, "not valid YAML: " + e.getOriginalMessage());
    }
  }
}
