package dev.regcheck.lab.ingress;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.RouteIngress;
import io.fabric8.openshift.api.model.RouteIngressBuilder;
import io.fabric8.openshift.api.model.RouteIngressCondition;
import io.fabric8.openshift.api.model.RouteIngressConditionBuilder;
import io.fabric8.openshift.api.model.RouteStatus;
import io.fabric8.openshift.api.model.TLSConfig;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.nio.file.Path;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import dev.regcheck.lab.process.Haproxy;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.Ports;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.core.WellKnown;
import dev.regcheck.lab.process.ChildProcesses;

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
public final class HaproxyRouter implements Controller, AutoCloseable, ChildProcesses {
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final String ROUTER_NAME = "default";
  static final String SERVICE = "router-default";
  static final String REGISTRY_NAMESPACE = "openshift-image-registry";
  static final String REGISTRY_SERVICE_HOST = WellKnown.REGISTRY + "." + REGISTRY_NAMESPACE + ".svc";
  private static final Logger LOG = LoggerFactory.getLogger(HaproxyRouter.class);

  private final OpenShiftClient client;
  private final String appsDomain;
  private final String serviceCaPem;
  private final int tokenPort;
  private final Path dir;
  private final ServableCertificates certificates;
  private final int port;
  private ServiceCa.Serving foreignDefault;
  private final RouterProcesses processes;

  private boolean published;
  private boolean closed;

  /**
   * @param serviceCaPem the service CA (re-encryption to {@code <svc>.<ns>.svc} is verified with it)
   * @param tokenPort the lab's registry token server on 127.0.0.1
   * @param dir where the router's files go ({@code haproxy.cfg}, {@code certs/})
   * @param haproxy how haproxy runs (a child process or a container)
   */
  public HaproxyRouter(OpenShiftClient client, String appsDomain, String serviceCaPem, int tokenPort, Path dir,
      Haproxy haproxy) {
    this.client = client;
    this.appsDomain = appsDomain;
    this.serviceCaPem = serviceCaPem;
    this.tokenPort = tokenPort;
    this.dir = dir;
    this.certificates = new ServableCertificates(haproxy, dir.resolve("candidates"));
    this.port = Ports.free();
    this.processes = new RouterProcesses(haproxy, dir, port);
  }

  private volatile String onlyFrom;

  /** proxy-required: connections from any other address are refused (the lab's proxy connects from it). */
  public HaproxyRouter acceptingOnlyFrom(String address) {
    onlyFrom = address;
    return this;
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
    return processes.pid();
  }

  /** Every haproxy PID this router has running (serving and draining). */
  @Override
  public synchronized List<Long> childPids() {
    return processes.pids();
  }

  /** haproxy's newest output lines. */
  List<String> logLines() {
    return processes.logLines();
  }

  /** First start: process launch until the port accepted a connection. */
  synchronized Optional<Duration> startToReady() {
    return processes.startToReady();
  }

  /** Last reload: new process launch until the old one had handed over (or the limit passed). */
  synchronized Optional<Duration> lastReload() {
    return processes.lastReload();
  }


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
    List<HaproxyConfig.Served> served = new ArrayList<>();
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
        String pem = withNewline(tls.getCertificate()) + withNewline(tls.getKey())
            + (RouteValidation.present(tls.getCaCertificate()) ? withNewline(tls.getCaCertificate()) : "");
        Optional<String> refused = certificates.refusal(pem);
        if (refused.isPresent()) {
          // served as it is, or not at all: never Admitted while haproxy keeps the previous certificate
          decisions.put(route, rejected(RouteValidation.REASON, "spec.tls.certificate: Invalid value: "
              + "\"redacted certificate data\": the router's haproxy refuses it: " + refused.get()));
          continue;
        }
        Path file = dir.resolve("certs").resolve(id + ".pem");
        files.put(file.toString(), pem);
        certFile = Optional.of(file);
      }
      String backend = backend(route, id, termination, files);
      served.add(new HaproxyConfig.Served(route, host, id, certFile, backend));
    }
    Path defaultFile = dir.resolve("certs").resolve("default.pem");
    files.put(defaultFile.toString(), defaultPem.get());
    Path caFile = dir.resolve("service-ca.crt");
    files.put(caFile.toString(), serviceCaPem);
    String config = HaproxyConfig.render(dir, port, tokenPort, defaultFile, caFile, served, files, onlyFrom);
    boolean live;
    try {
      live = processes.apply(config, files);
    } catch (IOException e) {
      LOG.warn("router: cannot write its configuration: {}", e.getMessage());
      return;
    }
    if (!processes.running()) {
      return;
    }
    publish();
    // Admitted=True only for what the running haproxy really serves: when the new configuration was
    // refused, the routes it would add stay unadmitted (rejections are still reported)
    decisions.forEach((route, decision) -> {
      if (live || !"True".equals(decision.getStatus()) || processes.serves(route)) {
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
    if (HaproxyConfig.isRegistry(route)) {
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
    processes.close();
  }
}
