package dev.regcheck.lab.ingress;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.RouteIngress;
import io.fabric8.openshift.api.model.RouteIngressBuilder;
import io.fabric8.openshift.api.model.RouteIngressCondition;
import io.fabric8.openshift.api.model.RouteIngressConditionBuilder;
import io.fabric8.openshift.api.model.RouteStatus;
import io.fabric8.openshift.api.model.TLSConfig;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import dev.regcheck.lab.process.ChildProcess;
import dev.regcheck.lab.process.Haproxy;
import dev.regcheck.lab.operators.RegistryManifests;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.Ports;
import dev.regcheck.lab.core.LogRing;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.registry.RegistryTokenServer;
import dev.regcheck.lab.core.WellKnown;

/**
 * The default IngressController's router: the REAL HAProxy ({@code haproxy -f <lab>/router/haproxy.cfg
 * -db}) with a configuration generated from the Routes of every namespace, listening HTTPS on
 * 127.0.0.1:{@link #httpsPort()} only, and published the way a bare-metal cluster publishes it:
 * Service {@code router-default} in openshift-ingress with Endpoints {@code 127.0.0.1:<port>}
 * (port name {@code https}).
 *
 * <p>Like openshift/router it admits routes (the oldest route claiming a host wins, later ones get
 * Admitted=False {@code HostAlreadyClaimed}), runs extended validation ({@link RouteValidation}:
 * Admitted=False {@code ExtendedValidationFailed}, not served), writes {@code status.ingress} for
 * router {@code default}, serves each route's own certificate for its host (a {@code crt-list}
 * line bound to the host, as the router's cert_config.map does) and the default certificate
 * ({@code router-certs-default}) otherwise, routes requests by the Host header (port stripped), or
 * by SNI for a request without one, re-encrypts to {@code <svc>.<ns>.svc} verified with the service
 * CA (or the route's destinationCACertificate), or sends plain HTTP for {@code edge}; unknown hosts
 * and routes without ready endpoints get 503. A reload starts the new process with
 * {@code -sf <old pid>}: the new one binds the port (SO_REUSEPORT) before the old one stops
 * listening, so there is no window without a listener, and the old one finishes its connections.
 *
 * <p>Differences from OpenShift's router: HTTPS only (no port 80, no {@code insecureEdgeTerminationPolicy},
 * no passthrough; plain-HTTP and passthrough routes are admitted but not served), no path-based
 * routes, no wildcard routes, no stats or metrics. And one for the registry: the lab's registry
 * token endpoint is a separate process (the real registry serves {@code /openshift/token} itself),
 * and Distribution's challenge realm is the fixed service URL, so for routes to Service
 * {@code image-registry} in openshift-image-registry the router sends {@code /openshift/token} to the
 * token server and rewrites the {@code WWW-Authenticate} realm to {@code https://<request Host>/openshift/token},
 * so that a client outside sees what it would see on OpenShift.
 *
 * <p>With {@link #withForeignDefaultCertificate()} (fault ingress-ca-untrusted) the router serves a
 * wildcard certificate from another CA instead of {@code router-certs-default}, as an external load
 * balancer terminating TLS with its own certificate would, while the cluster still publishes router-ca.
 */
public final class HaproxyRouter implements Controller, AutoCloseable {
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final String ROUTER_NAME = "default";
  static final String SERVICE = "router-default";
  static final String REGISTRY_NAMESPACE = "openshift-image-registry";
  static final String REGISTRY_SERVICE_HOST = WellKnown.REGISTRY + "." + REGISTRY_NAMESPACE + ".svc";
  /** How long a reload waits for the old process to hand over (it exits once it has no connections). */
  static final Duration HANDOVER_LIMIT = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(HaproxyRouter.class);

  /** Why this machine cannot run the router, if it cannot. */
  public static Optional<String> unavailableReason() {
    return Haproxy.unavailableReason();
  }

  private final OpenShiftClient client;
  private final String appsDomain;
  private final String serviceCaPem;
  private final int tokenPort;
  private final Path dir;
  private final int port;
  private final LogRing log = new LogRing();
  private ServiceCa.Serving foreignDefault;

  /** Guarded by {@code this}. */
  private ChildProcess current;
  private final List<ChildProcess> draining = new ArrayList<>();
  private String runningConfig;
  private String rejectedConfig;
  private boolean published;
  private boolean closed;
  private Duration startToReady;
  private Duration lastReload;

  /**
   * @param serviceCaPem the service CA (re-encryption to {@code <svc>.<ns>.svc} is verified with it)
   * @param tokenPort the lab's registry token server on 127.0.0.1
   * @param dir where the router's files go ({@code haproxy.cfg}, {@code certs/})
   */
  public HaproxyRouter(OpenShiftClient client, String appsDomain, String serviceCaPem, int tokenPort, Path dir) {
    this.client = client;
    this.appsDomain = appsDomain;
    this.serviceCaPem = serviceCaPem;
    this.tokenPort = tokenPort;
    this.dir = dir;
    this.port = Ports.free();
  }

  /** INGRESS_CA_UNTRUSTED: the served default certificate comes from a CA the cluster does not publish. */
  public HaproxyRouter withForeignDefaultCertificate() throws LabException {
    foreignDefault = ServiceCa.create("external-load-balancer-ca@" + Instant.now().getEpochSecond())
        .serving("*." + appsDomain);
    return this;
  }

  public int httpsPort() {
    return port;
  }

  /** The PID of the serving haproxy, when one runs. */
  synchronized OptionalLong pid() {
    return current != null && current.alive() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
  }

  /** Every haproxy PID this router has running (serving and draining). */
  synchronized List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    Stream.concat(Stream.ofNullable(current), draining.stream()).filter(ChildProcess::alive)
        .forEach(p -> pids.add(p.pid()));
    return pids;
  }

  /** haproxy's newest output lines. */
  List<String> logLines() {
    return log.lines();
  }

  /** First start: process launch until the port accepted a connection. */
  synchronized Optional<Duration> startToReady() {
    return Optional.ofNullable(startToReady);
  }

  /** Last reload: new process launch until the old one had handed over (or the limit passed). */
  synchronized Optional<Duration> lastReload() {
    return Optional.ofNullable(lastReload);
  }

  /** What one admitted, servable route contributes to the configuration. */
  private record Served(Route route, String host, String id, Optional<Path> certFile, String backend) {}

  @Override
  public synchronized void reconcile() {
    if (closed) {
      return;
    }
    Optional<String> defaultPem = defaultCertificatePem();
    if (defaultPem.isEmpty()) {
      return; // the ingress operator has not minted the default certificate yet
    }
    List<Route> routes = new ArrayList<>(client.routes().inAnyNamespace().list().getItems());
    routes.sort(Comparator.comparing((Route r) -> Optional.ofNullable(r.getMetadata().getCreationTimestamp())
        .map(Times::parse).orElse(Instant.EPOCH))
        .thenComparing(r -> admittedHere(r) ? 0 : 1)
        .thenComparing(r -> Optional.ofNullable(r.getMetadata().getUid()).orElse("")));
    Map<String, Route> claims = new HashMap<>();
    Map<Route, RouteIngressCondition> decisions = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    List<Served> served = new ArrayList<>();
    for (Route route : routes) {
      String host = route.getSpec() == null || route.getSpec().getHost() == null ? ""
          : route.getSpec().getHost().toLowerCase(Locale.ROOT);
      if (host.isEmpty()) {
        continue;
      }
      if (!DNS_1123_SUBDOMAIN.matcher(host).matches()) {
        // what the API server's route validation refuses; here it would break the router's configuration
        decisions.put(route, rejected("InvalidHost", "spec.host: Invalid value: \"" + host
            + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'"));
        continue;
      }
      Route holder = claims.putIfAbsent(host, route);
      if (holder != null) {
        decisions.put(route, rejected("HostAlreadyClaimed", holder.getMetadata().getNamespace()
            .equals(route.getMetadata().getNamespace())
            ? "route " + holder.getMetadata().getName() + " already exposes " + host + " and is older"
            : "a route in another namespace holds " + host + " and is older than " + route.getMetadata().getName()));
        continue;
      }
      TLSConfig tls = route.getSpec().getTls();
      Optional<String> invalid = RouteValidation.validate(tls);
      if (invalid.isPresent()) {
        decisions.put(route, rejected(RouteValidation.REASON, invalid.get()));
        continue;
      }
      decisions.put(route, condition("True", null, null));
      String termination = tls == null || tls.getTermination() == null ? "" : tls.getTermination();
      if (!termination.equals("reencrypt") && !termination.equals("edge")) {
        continue; // admitted, not served: the lab's router has no port 80 and no passthrough
      }
      String id = route.getMetadata().getNamespace() + "_" + route.getMetadata().getName();
      Optional<Path> certFile = Optional.empty();
      if (RouteValidation.present(tls.getCertificate()) && RouteValidation.present(tls.getKey())) {
        Path file = dir.resolve("certs").resolve(id + ".pem");
        files.put(file.toString(), withNewline(tls.getCertificate()) + withNewline(tls.getKey())
            + (RouteValidation.present(tls.getCaCertificate()) ? withNewline(tls.getCaCertificate()) : ""));
        certFile = Optional.of(file);
      }
      String backend = backend(route, id, termination, files);
      served.add(new Served(route, host, id, certFile, backend));
    }
    Path defaultFile = dir.resolve("certs").resolve("default.pem");
    files.put(defaultFile.toString(), defaultPem.get());
    Path caFile = dir.resolve("service-ca.crt");
    files.put(caFile.toString(), serviceCaPem);
    String config = config(defaultFile, caFile, served, files);
    boolean live;
    try {
      live = apply(config, files);
    } catch (IOException e) {
      LOG.warn("router: cannot write its configuration: {}", e.getMessage());
      return;
    }
    if (current == null || !current.alive()) {
      return;
    }
    publish();
    // Admitted=True only for what the running haproxy really serves: when the new configuration was
    // refused, the routes it would add stay unadmitted (rejections are still reported)
    decisions.forEach((route, decision) -> {
      if (live || !"True".equals(decision.getStatus()) || runningConfigServes(route)) {
        writeStatus(route, decision);
      }
    });
  }

  /**
   * Whether this router admitted the route before. Ties in creationTimestamp (one-second
   * resolution) go to the route already holding the host, then to the lower UID (router
   * routeapihelpers RouteLessThan; the real router keeps a claim because it sees routes in order).
   */
  private static boolean admittedHere(Route route) {
    return Optional.ofNullable(route.getStatus()).map(RouteStatus::getIngress).orElse(List.of()).stream()
        .filter(i -> ROUTER_NAME.equals(i.getRouterName()) && i.getConditions() != null)
        .flatMap(i -> i.getConditions().stream())
        .anyMatch(c -> "Admitted".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private Optional<String> defaultCertificatePem() {
    if (foreignDefault != null) {
      return Optional.of(foreignDefault.certificateChainPem() + foreignDefault.privateKeyPem());
    }
    Secret secret = client.secrets().inNamespace(WellKnown.INGRESS_NAMESPACE)
        .withName(WellKnown.ROUTER_CERTS_DEFAULT).get();
    if (secret == null || secret.getData() == null || secret.getData().get("tls.crt") == null
        || secret.getData().get("tls.key") == null) {
      return Optional.empty();
    }
    return Optional.of(withNewline(IngressOperator.decode(secret.getData().get("tls.crt")))
        + withNewline(IngressOperator.decode(secret.getData().get("tls.key"))));
  }

  private static RouteIngressCondition rejected(String reason, String message) {
    return condition("False", reason, message);
  }

  /** The backend section for one route: its ready endpoints, re-encrypted or plain. */
  private String backend(Route route, String id, String termination, Map<String, String> files) {
    String ns = route.getMetadata().getNamespace();
    String service = route.getSpec().getTo() == null ? "" : route.getSpec().getTo().getName();
    List<String> servers = new ArrayList<>();
    Endpoints endpoints = "Service".equals(route.getSpec().getTo() == null ? null : route.getSpec().getTo().getKind())
        ? client.endpoints().inNamespace(ns).withName(service).get() : null;
    if (endpoints != null && endpoints.getSubsets() != null) {
      for (EndpointSubset subset : endpoints.getSubsets()) {
        Optional<EndpointPort> endpointPort = port(route, subset);
        if (endpointPort.isEmpty() || subset.getAddresses() == null) {
          continue;
        }
        for (EndpointAddress address : subset.getAddresses()) {
          servers.add(address.getIp() + ":" + endpointPort.get().getPort());
        }
      }
    }
    if (servers.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("backend be_" + id + "\n");
    if (isRegistry(route)) {
      out.append("  http-response replace-header WWW-Authenticate '^(.*)realm=\"[^\"]*\"(.*)$' "
          + "'\\1realm=\"https://%[var(txn.host)]" + WellKnown.REGISTRY_TOKEN_PATH + "\"\\2' if { var(txn.host) -m found }\n");
    }
    String tlsOptions = "";
    if (termination.equals("reencrypt")) {
      String ca = dir.resolve("service-ca.crt").toString();
      TLSConfig tls = route.getSpec().getTls();
      if (RouteValidation.present(tls.getDestinationCACertificate())) {
        Path file = dir.resolve("cacerts").resolve(id + ".pem");
        files.put(file.toString(), withNewline(tls.getDestinationCACertificate()));
        ca = file.toString();
      }
      String name = service + "." + ns + ".svc";
      tlsOptions = " ssl verify required ca-file " + ca + " sni str(" + name + ") verifyhost " + name;
    }
    for (int i = 0; i < servers.size(); i++) {
      out.append("  server ep").append(i).append(' ').append(servers.get(i)).append(tlsOptions).append('\n');
    }
    return out.toString();
  }

  /** The endpoint port the route targets: {@code spec.port.targetPort} by name or number, else the first. */
  private static Optional<EndpointPort> port(Route route, EndpointSubset subset) {
    if (subset.getPorts() == null || subset.getPorts().isEmpty()) {
      return Optional.empty();
    }
    IntOrString target = route.getSpec().getPort() == null ? null : route.getSpec().getPort().getTargetPort();
    if (target == null) {
      return Optional.of(subset.getPorts().get(0));
    }
    return subset.getPorts().stream().filter(p -> target.getStrVal() != null
        ? target.getStrVal().equals(p.getName()) : Objects.equals(target.getIntVal(), p.getPort()))
        .findFirst().or(() -> Optional.of(subset.getPorts().get(0)));
  }

  private static boolean isRegistry(Route route) {
    return REGISTRY_NAMESPACE.equals(route.getMetadata().getNamespace()) && route.getSpec().getTo() != null
        && WellKnown.REGISTRY.equals(route.getSpec().getTo().getName());
  }

  private String config(Path defaultFile, Path caFile, List<Served> served, Map<String, String> files) {
    Path crtList = dir.resolve("cert_config.map");
    StringBuilder list = new StringBuilder();
    StringBuilder acls = new StringBuilder();
    StringBuilder byHost = new StringBuilder();
    StringBuilder bySni = new StringBuilder();
    StringBuilder backends = new StringBuilder();
    boolean anyRegistry = false;
    for (Served s : served) {
      s.certFile().ifPresent(f -> list.append(f).append(' ').append(s.host()).append('\n'));
      if (s.backend().isEmpty()) {
        continue; // no ready endpoints: the default backend's 503
      }
      acls.append("  acl host_").append(s.id()).append(" req.hdr(host),field(1,:),lower -m str ").append(s.host()).append('\n');
      acls.append("  acl sni_").append(s.id()).append(" ssl_fc_sni -i ").append(s.host()).append('\n');
      if (isRegistry(s.route())) {
        anyRegistry = true;
        byHost.append("  use_backend be_token if host_").append(s.id()).append(" is_token\n");
        bySni.append("  use_backend be_token if no_host sni_").append(s.id()).append(" is_token\n");
      }
      byHost.append("  use_backend be_").append(s.id()).append(" if host_").append(s.id()).append('\n');
      bySni.append("  use_backend be_").append(s.id()).append(" if no_host sni_").append(s.id()).append('\n');
      backends.append(s.backend());
    }
    files.put(crtList.toString(), list.toString());
    StringBuilder cfg = new StringBuilder();
    cfg.append("# generated by the regcheck lab's router from the Routes; do not edit\n");
    // file contents enter the text, so a changed certificate changes the config and reloads
    files.forEach((path, content) -> cfg.append("# ").append(Path.of(path).getFileName()).append(' ')
        .append(Integer.toHexString(content.hashCode())).append('\n'));
    cfg.append("""
        global
          log stdout format raw local0 info
          tune.ssl.default-dh-param 2048
          hard-stop-after 30s
        defaults
          mode http
          log global
          option httplog
          timeout connect 5s
          timeout client 10m
          timeout server 10m
          timeout http-request 30s
          timeout http-keep-alive 30s
        frontend fe_https
        """);
    cfg.append("  bind 127.0.0.1:").append(port).append(" ssl crt ").append(defaultFile)
        .append(" crt-list ").append(crtList).append('\n');
    cfg.append("  http-request set-var(txn.host) req.hdr(host)\n");
    cfg.append("  acl no_host req.hdr_cnt(host) eq 0\n");
    cfg.append("  acl is_token path_beg ").append(WellKnown.REGISTRY_TOKEN_PATH).append('\n');
    cfg.append(acls).append(byHost).append(bySni);
    cfg.append("  default_backend be_no_route\n");
    cfg.append(backends);
    if (anyRegistry) {
      cfg.append("backend be_token\n  server token 127.0.0.1:").append(tokenPort)
          .append(" ssl verify required ca-file ").append(caFile).append(" sni str(")
          .append(REGISTRY_SERVICE_HOST).append(") verifyhost ").append(REGISTRY_SERVICE_HOST).append('\n');
    }
    cfg.append("backend be_no_route\n  http-request return status 503 content-type text/plain "
        + "string \"Application is not available\"\n");
    return cfg.toString();
  }

  /** Whether the running configuration has a backend for this route (its admitted state is real). */
  private boolean runningConfigServes(Route route) {
    return runningConfig != null && runningConfig.contains("backend be_" + route.getMetadata().getNamespace() + "_"
        + route.getMetadata().getName() + "\n");
  }

  /**
   * Writes the files and (re)starts haproxy when the configuration text changed or it is not
   * running. Returns whether {@code config} is what runs now.
   */
  private boolean apply(String config, Map<String, String> files) throws IOException {
    boolean running = current != null && current.alive();
    if (running && config.equals(runningConfig)) {
      return true;
    }
    if (config.equals(rejectedConfig)) {
      return false; // already logged; the previous process keeps serving
    }
    if (current != null && !current.alive()) {
      LOG.warn("router: haproxy (pid {}) exited with {}; starting it again", current.pid(), current.exitCode().orElse(-1));
      current = null;
    }
    Files.createDirectories(dir.resolve("certs"));
    Files.createDirectories(dir.resolve("cacerts"));
    for (Map.Entry<String, String> file : files.entrySet()) {
      writePrivate(Path.of(file.getKey()), file.getValue());
    }
    Path candidate = dir.resolve("haproxy.cfg.new");
    writePrivate(candidate, config);
    Optional<String> invalid = Haproxy.check(candidate);
    if (invalid.isPresent()) {
      rejectedConfig = config;
      LOG.warn("router: the generated haproxy configuration is invalid, keeping the running one: {}", invalid.get());
      return false;
    }
    rejectedConfig = null;
    Path cfg = dir.resolve("haproxy.cfg");
    Files.move(candidate, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    ChildProcess old = current;
    long started = System.nanoTime();
    ChildProcess next = Haproxy.start("lab-router-log", cfg, dir, old, log::add, null);
    if (!awaitListening(next)) {
      next.kill();
      rejectedConfig = config; // retried when the configuration changes, not every tick
      LOG.warn("router: haproxy did not accept on 127.0.0.1:{} within {} s: {}", port, Haproxy.READY_LIMIT.toSeconds(),
          String.join(" | ", log.lines().subList(Math.max(0, log.lines().size() - 3), log.lines().size())));
      return false;
    }
    if (old == null) {
      startToReady = Duration.ofNanos(System.nanoTime() - started);
    } else {
      try {
        old.awaitExit(HANDOVER_LIMIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lastReload = Duration.ofNanos(System.nanoTime() - started);
      if (old.alive()) {
        draining.add(old); // still finishing connections; stopped at close() at the latest
      }
    }
    draining.removeIf(p -> !p.alive());
    current = next;
    runningConfig = config;
    for (String stale : staleFiles(files)) {
      Files.deleteIfExists(Path.of(stale));
    }
    return true;
  }

  private List<String> staleFiles(Map<String, String> files) throws IOException {
    List<String> stale = new ArrayList<>();
    for (String sub : List.of("certs", "cacerts")) {
      try (Stream<Path> listing = Files.list(dir.resolve(sub))) {
        listing.map(Path::toString).filter(p -> !files.containsKey(p)).forEach(stale::add);
      }
    }
    return stale;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Until the port accepts while {@code process} runs (it binds before it signals the old one). */
  private boolean awaitListening(ChildProcess process) {
    try {
      return process.awaitListening(port, Haproxy.READY_LIMIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Service router-default and its Endpoints, as on bare metal (host network, no load balancer). */
  private void publish() {
    if (published) {
      return;
    }
    String ns = WellKnown.INGRESS_NAMESPACE;
    if (client.services().inNamespace(ns).withName(SERVICE).get() == null) {
      client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName(SERVICE)
          .withNamespace(ns).addToLabels("ingresscontroller.operator.openshift.io/owning-ingresscontroller", ROUTER_NAME)
          .endMetadata().withNewSpec().withType("ClusterIP").addNewPort().withName("https").withPort(443)
          .withProtocol("TCP").withTargetPort(new IntOrString("https")).endPort().endSpec().build()).create();
    }
    Endpoints wanted = new EndpointsBuilder().withNewMetadata().withName(SERVICE).withNamespace(ns).endMetadata()
        .addNewSubset().addNewAddress().withIp("127.0.0.1").endAddress()
        .addNewPort().withName("https").withPort(port).withProtocol("TCP").endPort().endSubset().build();
    Endpoints have = client.endpoints().inNamespace(ns).withName(SERVICE).get();
    if (have == null) {
      client.endpoints().inNamespace(ns).resource(wanted).create();
    } else if (!Serialization.asJson(have.getSubsets()).equals(Serialization.asJson(wanted.getSubsets()))) {
      have.setSubsets(wanted.getSubsets());
      client.endpoints().inNamespace(ns).resource(have).update();
    }
    published = true;
  }

  /** status.ingress for router {@code default}, written only when it changes. */
  private void writeStatus(Route route, RouteIngressCondition decision) {
    List<RouteIngress> ingress = new ArrayList<>(Optional.ofNullable(route.getStatus())
        .map(RouteStatus::getIngress).orElse(List.of()));
    Optional<RouteIngress> mine = ingress.stream().filter(i -> ROUTER_NAME.equals(i.getRouterName())).findFirst();
    Optional<RouteIngressCondition> had = mine.flatMap(i -> Optional.ofNullable(i.getConditions())
        .orElse(List.of()).stream().filter(c -> "Admitted".equals(c.getType())).findFirst());
    boolean sameCondition = had.isPresent() && Objects.equals(had.get().getStatus(), decision.getStatus())
        && Objects.equals(emptyToNull(had.get().getReason()), emptyToNull(decision.getReason()))
        && Objects.equals(emptyToNull(had.get().getMessage()), emptyToNull(decision.getMessage()));
    RouteIngressCondition condition = new RouteIngressConditionBuilder(decision)
        .withLastTransitionTime(sameCondition ? had.get().getLastTransitionTime() : Times.now()).build();
    RouteIngress wanted = new RouteIngressBuilder().withHost(route.getSpec().getHost()).withRouterName(ROUTER_NAME)
        .withWildcardPolicy("None").withRouterCanonicalHostname("router-" + ROUTER_NAME + "." + appsDomain)
        .withConditions(condition).build();
    if (mine.isPresent() && Serialization.asJson(mine.get()).equals(Serialization.asJson(wanted))) {
      return;
    }
    ingress.removeIf(i -> ROUTER_NAME.equals(i.getRouterName()));
    ingress.add(0, wanted);
    Route update = Serialization.unmarshal(Serialization.asJson(route), Route.class);
    update.setStatus(new RouteStatus(ingress));
    client.resource(update).updateStatus();
  }

  private static RouteIngressCondition condition(String status, String reason, String message) {
    return new RouteIngressConditionBuilder().withType("Admitted").withStatus(status).withReason(reason)
        .withMessage(message).build();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String withNewline(String pem) {
    return pem.endsWith("\n") ? pem : pem + "\n";
  }

  /** Stops every haproxy this router started (SIGTERM, SIGKILL after 5 s); none runs afterwards. */
  @Override
  public synchronized void close() {
    closed = true;
    List<ChildProcess> all = new ArrayList<>(draining);
    if (current != null) {
      all.add(current);
    }
    for (ChildProcess process : all) {
      process.stop(Haproxy.STOP_GRACE);
    }
    draining.clear();
    current = null;
  }
}
