package dev.regcheck.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.regcheck.result.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.regcheck.catalog.Catalog;
import dev.regcheck.pki.Subject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.TreeSet;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;

/**
 * Reads a lab profile. Precedence, lowest first: the YAML file, then environment variables named
 * {@code REGCHECK_<SECTION>_<FIELD>} (e.g. {@code REGCHECK_TIMEOUTS_SETTLE}), then {@code --set
 * section.field=value} from the command line. Every problem is one {@link ProfileException} line
 * naming the file, the field and what was expected.
 */
public final class ProfileLoader {

  /** Jackson's YAML: a key given twice is refused (as "not valid YAML"), unknown fields fail binding. */
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
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
    if (root != null && !root.isNull() && !root.isObject()) {
      throw new ProfileException(src, null, "expected a mapping, got " + kind(root));
    }
    ObjectNode tree = root == null || root.isNull() ? YAML.createObjectNode() : ((ObjectNode) root).deepCopy();
    new ProfileOverrides(src, environment, overrides).apply(tree);
    secretLocations(src, tree);
    ProfileDocument d = bind(src, tree);
    ProfileFields f = new ProfileFields(src, baseDir);
    String name = f.name("name", d.name(), true, K8S_NAME, "a lower-case name such as 'sandbox' or 'cluster1'");
    String description = f.text("description", d.description(), false, null);
    boolean embedded = f.bool("embedded", d.embedded(), false);
    String lang = f.oneOf("lang", d.lang(), "en", "en", "zh");

    ProfileDocument.Cluster c = or(d.cluster(), ProfileDocument.Cluster.EMPTY);
    String apiUrl = f.text("cluster.apiUrl", c.apiUrl(), false, null);
    if (apiUrl != null && !apiUrl.matches("https://[^/\\s]+(:\\d+)?/?")) {
      throw new ProfileException(src, "cluster.apiUrl", "expected https://host:port, got '" + apiUrl + "'");
    }
    Path kubeconfig = f.file("cluster.kubeconfig", c.kubeconfig(), false); // checked when connecting: `list` needs no cluster
    String context = f.text("cluster.context", c.context(), false, null);
    String appsDomain = f.name("cluster.appsDomain", c.appsDomain(), false, DNS_NAME,
        "a DNS name such as apps.cluster1.example.com");
    List<String> nodes = c.nodes() == null ? List.of() : List.copyOf(c.nodes());
    Map<String, String> hosts = f.hosts("cluster.hosts", c.hosts());

    ProfileDocument.Identity i = or(d.identity(), ProfileDocument.Identity.EMPTY);
    String user = f.text("identity.user", i.user(), false, null);
    if (user != null && user.contains(":")) {
      throw new ProfileException(src, "identity.user", "a user name with ':' fails registry login; got '" + user + "'");
    }
    SecretRef token = f.secret("identity.token", i.token());
    SecretRef password = f.secret("identity.password", i.password());
    SecretRef unprivileged = f.secret("identity.unprivilegedToken", i.unprivilegedToken());

    ProfileDocument.Nfs n = or(d.nfs(), ProfileDocument.Nfs.EMPTY);
    String nfsServer = f.text("nfs.server", n.server(), true, null);
    String nfsPath = f.text("nfs.path", n.path(), true, null);
    if (!nfsPath.startsWith("/")) {
      throw new ProfileException(src, "nfs.path", "expected an absolute path such as /nfs, got '" + nfsPath + "'");
    }

    ProfileDocument.Storage s = or(d.storage(), ProfileDocument.Storage.EMPTY);
    String pvName = f.name("storage.pv", s.pv(), false, DNS_NAME, "a PersistentVolume name");
    String capacity = f.quantity("storage.capacity", s.capacity(), "200Gi");
    String pvcName = f.name("storage.pvc", s.pvc(), false, K8S_NAME, "a PersistentVolumeClaim name");
    String request = f.quantity("storage.request", s.request(), capacity);
    String claim = f.name("storage.claim", s.claim(), false, K8S_NAME, "the claim the registry uses");

    ProfileDocument.Registry g = or(d.registry(), ProfileDocument.Registry.EMPTY);
    String namespace = f.name("registry.namespace", g.namespace(), false, K8S_NAME, "a namespace");
    String config = f.name("registry.config", g.config(), false, K8S_NAME, "the operator config's name");
    String deployment = f.name("registry.deployment", g.deployment(), false, K8S_NAME, "a deployment name");
    String selector = f.text("registry.podSelector", g.podSelector(), false, null);
    String service = f.name("registry.service", g.service(), false, K8S_NAME, "a Service name");
    String access = f.oneOf("registry.access", g.access(), "auto", "auto", "endpoints", "service", "port-forward");

    ProfileDocument.TestImage ti = or(d.testImage(), ProfileDocument.TestImage.EMPTY);
    String repository = f.text("testImage.repository", ti.repository(), false, "openshift/hello-world");
    if (!repository.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]+([._-][a-z0-9]+)*")) {
      throw new ProfileException(src, "testImage.repository",
          "expected <project>/<image> (the registry takes exactly two levels), got '" + repository + "'");
    }
    String tag = f.text("testImage.tag", ti.tag(), false, null);
    if (tag != null && !tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) {
      throw new ProfileException(src, "testImage.tag", "expected a tag such as latest, got '" + tag + "'");
    }
    String source = f.text("testImage.source", ti.source(), false, null);
    if (source != null && !source.matches("[a-z0-9.-]+(:\\d+)?/[^\\s:@]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})")) {
      throw new ProfileException(src, "testImage.source",
          "expected a full image reference such as docker.io/library/hello-world:latest, got '" + source + "'");
    }
    String format = f.oneOf("testImage.format", ti.format(), "docker", "docker", "oci");

    LabProfile.Exposure exposure = exposure(f, or(d.exposure(), ProfileDocument.Exposure.EMPTY), appsDomain);

    ProfileDocument.Timeouts t = or(d.timeouts(), ProfileDocument.Timeouts.EMPTY);
    Duration settle = f.duration("timeouts.settle", t.settle(), Duration.ofMinutes(5));
    Duration poll = f.duration("timeouts.poll", t.poll(), Duration.ofSeconds(1));
    Duration request2 = f.duration("timeouts.request", t.request(), Duration.ofSeconds(10));
    Duration hotLoop = f.duration("timeouts.hotLoopWindow", t.hotLoopWindow(), Duration.ofSeconds(15));
    if (poll.compareTo(settle) > 0) {
      throw new ProfileException(src, "timeouts.poll", "must not be longer than timeouts.settle (" + settle + ")");
    }

    boolean consent = f.bool("apply.consent", or(d.apply(), ProfileDocument.Apply.EMPTY).consent(), false);
    Path knownFile = f.file("knownIssues", d.knownIssues(), true);
    if (knownFile == null && baseDir != null && Files.isRegularFile(baseDir.resolve(name + ".known-issues.yaml"))) {
      knownFile = baseDir.resolve(name + ".known-issues.yaml");
    }
    List<LabProfile.KnownIssue> known = knownFile == null ? List.of() : knownIssues(knownFile);

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
  private static LabProfile.Exposure exposure(ProfileFields f, ProfileDocument.Exposure e, String appsDomain) {
    String routes = f.oneOf("exposure.routes", e.routes(), "both", "default", "custom", "both", "none");
    ProfileDocument.Route rt = or(e.route(), ProfileDocument.Route.EMPTY);
    String routeName = f.name("exposure.route.name", rt.name(), false, K8S_NAME, "a Route name such as public-routes");
    if ("default-route".equals(routeName)) {
      throw new ProfileException(f.src, "exposure.route.name", "'default-route' is the operator's own route; "
          + "the operator rejects a spec.routes entry of that name (VerificationFailed): use public-routes");
    }
    String hostname = f.name("exposure.route.hostname", rt.hostname(), false, DNS_NAME,
        "a DNS name such as registry.apps.cluster1.example.com");
    if (hostname == null && appsDomain != null) {
      hostname = "registry." + appsDomain;
    }
    String secret = f.name("exposure.route.secret", rt.secret(), false, K8S_NAME, "a Secret name such as registry");
    ProfileDocument.Certificate c = or(e.certificate(), ProfileDocument.Certificate.EMPTY);
    String subject = f.text("exposure.certificate.subject", c.subject(), false,
        "/C=CN/ST=Shanghai/L=Shanghai/O=Company/OU=SH/CN=xiaohui.cn");
    if (!subject.matches("(/[A-Za-z]+=[^/]+)+")) {
      throw new ProfileException(f.src, "exposure.certificate.subject",
          "expected openssl's -subj form such as /C=CN/O=Company/CN=xiaohui.cn, got '" + subject + "'");
    }
    try {
      Subject.parse(subject);
    } catch (IllegalArgumentException bad) {
      throw new ProfileException(f.src, "exposure.certificate.subject", Text.firstLine(bad.getMessage()));
    }
    int keyBits = f.integer("exposure.certificate.keyBits", c.keyBits(), 4096, 2048, 16384);
    int days = f.integer("exposure.certificate.days", c.days(), 3650, 1, 36500);
    Path rootCa = f.file("exposure.certificate.rootCa", c.rootCa(), false);
    SecretRef rootKey = f.secret("exposure.certificate.rootKey", c.rootKey());
    Path dir = f.file("exposure.certificate.dir", c.dir(), false);
    Path anchors = f.file("exposure.trustAnchors", e.trustAnchors(), false);
    Path bundle = f.file("exposure.trustBundle", e.trustBundle(), false);
    Path certsD = f.file("exposure.registryCerts", e.registryCerts(), false);
    if (bundle == null) {
      bundle = Files.isRegularFile(RHEL_BUNDLE) || !Files.isRegularFile(DEBIAN_BUNDLE) ? RHEL_BUNDLE : DEBIAN_BUNDLE;
    }
    String update = f.text("exposure.trustUpdate", e.trustUpdate(), false,
        bundle.startsWith("/etc/pki") ? "update-ca-trust extract" : "update-ca-certificates");
    return new LabProfile.Exposure(routes,
        new LabProfile.CustomRoute(or(routeName, "public-routes"), hostname, or(secret, "registry")),
        new LabProfile.Certificate(subject, keyBits, days, rootCa, rootKey, dir),
        anchors == null ? Path.of("/etc/pki/ca-trust/source/anchors") : anchors, bundle,
        certsD == null ? Path.of("/etc/containers/certs.d") : certsD, update);
  }

  /** The bundle update-ca-trust extracts on RHEL and Fedora, which podman and oc read there. */
  static final Path RHEL_BUNDLE = Path.of("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem");
  /** The bundle update-ca-certificates writes on Debian and Ubuntu. */
  static final Path DEBIAN_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

  /**
   * Jackson binds the tree strictly (unknown fields, a list or mapping where one value belongs);
   * what it refuses becomes the profile's one-line error at the field's path, told from the tree
   * node there.
   */
  private static ProfileDocument bind(String src, ObjectNode tree) {
    try {
      return YAML.treeToValue(tree, ProfileDocument.class);
    } catch (UnrecognizedPropertyException e) {
      String path = path(e);
      if (e.getReferringClass() == ProfileDocument.Secret.class) {
        String owner = path.substring(0, path.lastIndexOf('.'));
        Set<String> keys = new TreeSet<>();
        tree.at(pointer(owner)).fieldNames().forEachRemaining(keys::add);
        throw new ProfileException(src, owner, "expected exactly one of {env: NAME} or {file: PATH}, got " + keys);
      }
      List<String> known = new ArrayList<>();
      e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      known.sort(null);
      throw new ProfileException(src, path, "unknown field; expected one of " + known);
    } catch (MismatchedInputException e) {
      String path = path(e);
      JsonNode node = tree.at(pointer(path));
      Class<?> target = e.getTargetType();
      String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
      String message;
      if (target == ProfileDocument.Secret.class) {
        message = "secrets are never inline; expected {env: NAME} or {file: PATH}";
      } else if (target != null && target.isRecord()) {
        message = "expected a mapping, got " + kind(node);
      } else if (target != null && List.class.isAssignableFrom(target)) {
        message = "expected a list, got " + kind(node);
      } else if (target != null && Map.class.isAssignableFrom(target)) {
        message = "expected a mapping of host[:port] to address[:port], got " + kind(node);
      } else if (parent.equals("cluster.hosts")) {
        message = "expected an address such as 10.0.0.5 or 127.0.0.1:5000";
      } else if (isSecret(parent)) {
        message = "expected a name, got " + kind(node);
      } else {
        message = "expected a single value, got " + kind(node);
      }
      throw new ProfileException(src, path.isEmpty() ? null : path, message);
    } catch (JsonProcessingException e) {
      throw new ProfileException(src, null, "cannot be read: " + Text.firstLine(e.getOriginalMessage()));
    }
  }

  private static boolean isSecret(String path) {
    return ProfileOverrides.SCHEMA.get(path) == ProfileOverrides.Kind.SECRET;
  }

  /** A secret's {@code env:}/{@code file:} must each be a name (text), not a number, a list or null. */
  private static void secretLocations(String src, ObjectNode tree) {
    ProfileOverrides.SCHEMA.forEach((path, kind) -> {
      JsonNode ref = tree.at(pointer(path));
      if (kind == ProfileOverrides.Kind.SECRET && ref.isObject()) {
        ref.fields().forEachRemaining(e -> {
          if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
            throw new ProfileException(src, path + "." + e.getKey(), "expected a name, got " + kind(e.getValue()));
          }
        });
      }
    });
  }

  /** The dotted path of the field a Jackson error is about ({@code storage.capcity}; map keys as they are). */
  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      String part = r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex());
      out.append(out.length() == 0 ? "" : ".").append(part);
    }
    return out.toString();
  }

  private static JsonPointer pointer(String dotted) {
    if (dotted.isEmpty()) {
      return JsonPointer.empty();
    }
    StringBuilder p = new StringBuilder();
    for (String part : dotted.split("\\.")) {
      p.append('/').append(part.replace("~", "~0").replace("/", "~1"));
    }
    return JsonPointer.compile(p.toString());
  }

  static String kind(JsonNode v) {
    return v == null || v.isMissingNode() ? "nothing" : v.isArray() ? "a list" : v.isObject() ? "a mapping"
        : "'" + v.asText() + "'";
  }

  private static <T> T or(T v, T d) {
    return v == null ? d : v;
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
