package dev.regcheck.lab;

import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import dev.regcheck.pki.RootCa;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import dev.regcheck.lab.ingress.ConnectProxy;
import dev.regcheck.lab.ingress.HaproxyRouter;
import dev.regcheck.lab.kube.Kubelet;
import dev.regcheck.lab.seed.ClusterSeed;
import dev.regcheck.lab.seed.RbacSeed;
import dev.regcheck.lab.registry.RegistryTokenServer;
import dev.regcheck.lab.registry.RegistryEvents;
import dev.regcheck.lab.registry.ImageRecorder;
import dev.regcheck.lab.registry.RegistryFiles;
import dev.regcheck.lab.registry.RegistryConfigFile;
import dev.regcheck.lab.apiserver.ApiServer;
import dev.regcheck.lab.apiserver.Identities;
import dev.regcheck.lab.apiserver.RequestLog;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.faults.FaultPlan;
import dev.regcheck.lab.faults.FaultSeed;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.ControlPlane;
import dev.regcheck.lab.core.EventRecorder;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.ingress.IngressOperator;
import dev.regcheck.lab.nfs.NfsEndpoint;
import dev.regcheck.lab.process.Haproxy;
import dev.regcheck.lab.process.HostRuntime;
import dev.regcheck.lab.process.PartRuntime;
import dev.regcheck.lab.kube.PersistentVolumeBinder;
import dev.regcheck.lab.kube.PodScheduler;
import dev.regcheck.lab.kube.DeploymentController;
import dev.regcheck.lab.kube.EndpointsController;
import dev.regcheck.lab.seed.OAuthSeed;
import dev.regcheck.lab.operators.ImageRegistryOperator;
import dev.regcheck.lab.operators.ServiceCaController;
import dev.regcheck.lab.apiserver.OAuthServer;
import dev.regcheck.lab.faults.UnmanagedSeed;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.WellKnown;
import dev.regcheck.lab.process.ChildProcesses;

/**
 * An imitation of a freshly installed bare-metal OpenShift 4.x control plane, with the REAL
 * registry (CNCF Distribution {@code docker-registry}) as the registry pod's container.
 *
 * <p>The API is fabric8's mock server over HTTPS on 127.0.0.1; the operator, volume binder,
 * scheduler, kubelet, service CA and endpoints controllers are imitated by level-triggered loops
 * (see each class). Everything it writes stays under {@code workDir}.
 */
public final class EmbeddedLab implements AutoCloseable {
  private final Identities identities;
  private final RequestLog requestLog;
  private final ApiServer api;
  private final OpenShiftClient controlPlaneClient;
  private final Kubelet kubelet;
  private final ControlPlane controlPlane;
  private final Path kubeconfig;
  /** The registry's token server and notification endpoint. */
  private final List<AutoCloseable> registryServers;
  private final String realm;
  private final String tokenSigner;
  private final Thread shutdownHook;
  /** Why the lab runs no NFS server, when it runs none (other than for the nfs-down fault). */
  private final Optional<String> nfsUnavailable;
  /** The default router (real HAProxy); empty where haproxy is not installed. */
  private final Optional<HaproxyRouter> router;
  private final Optional<String> routerUnavailable;
  /** Guarded by {@code this}: set once the first close() has stopped everything. */
  private boolean closed;
  /** Set when the first close() begins (for tests: "another thread is closing"). */
  private volatile boolean closing;

  private EmbeddedLab(Identities identities, RequestLog requestLog, ApiServer api,
      OpenShiftClient controlPlaneClient, Kubelet kubelet, ControlPlane controlPlane, Path kubeconfig,
      List<AutoCloseable> registryServers, RegistryConfigFile.Integration integration,
      Optional<String> nfsUnavailable, Optional<HaproxyRouter> router, Optional<String> routerUnavailable) {
    this.nfsUnavailable = nfsUnavailable;
    this.router = router;
    this.routerUnavailable = routerUnavailable;
    this.registryServers = List.copyOf(registryServers);
    this.realm = integration.realm();
    this.tokenSigner = integration.signerCertificatePem();
    this.identities = identities;
    this.requestLog = requestLog;
    this.api = api;
    this.controlPlaneClient = controlPlaneClient;
    this.kubelet = kubelet;
    this.controlPlane = controlPlane;
    this.kubeconfig = kubeconfig;
    this.shutdownHook = new Thread(this::close, "lab-shutdown");
  }

  /** Starts the lab with the host provider. */
  public static EmbeddedLab start(LabSettings requested, Set<Fault> faults, Path workDir) throws LabException {
    return start(requested, faults, workDir, Provider.HOST);
  }

  /** Starts the lab; returns once the API serves and the cluster is seeded and settled once. */
  public static EmbeddedLab start(LabSettings requested, Set<Fault> faults, Path workDir, Provider provider)
      throws LabException {
    ServiceCa.makeKeysAhead();
    LabSettings settings = requested;
    FaultPlan plan = FaultPlan.of(faults);
    Set<Fault> active = plan.faults();
    Path dir = workDir.toAbsolutePath();
    try {
      Files.createDirectories(dir.resolve("nfs"));
      Files.createDirectories(dir.resolve("registry"));
      Files.createDirectories(dir.resolve("router"));
    } catch (IOException e) {
      throw new LabException("cannot create the lab directory " + dir + ": " + e.getMessage(), e);
    }
    PartRuntime runtime = LabParts.open(provider, dir);
    Haproxy haproxy = new Haproxy(runtime);
    Identities identities = new Identities(settings.user(), plan.userTokenExpired());
    RequestLog requestLog = new RequestLog();
    ServiceCa ca = ServiceCa.create();
    // proxy-required: the API listens where only the site's proxy connects
    ApiServer api = ApiServer.start(identities, requestLog, settings.apiHost(),
        plan.proxyRequired() ? ConnectProxy.BEHIND : "127.0.0.1");
    OpenShiftClient client = null;
    Kubelet kubelet = null;
    ControlPlane controlPlane = null;
    List<AutoCloseable> servers = new ArrayList<>();
    try {
      NfsEndpoint nfs = LabParts.startNfs(runtime, settings, plan, dir);
      servers.add(nfs);
      // the profile's nfs.server is where the lab's own server is reached (its network namespace)
      settings = nfs.address().map(requested::withNfsServer).orElse(requested);
      Map<String, String> profileSettings = new LinkedHashMap<>(plan.profileSettings());
      nfs.address().ifPresent(address -> profileSettings.put("nfs.server", address));
      client = api.client(identities.controlPlaneToken());
      ClusterSeed.seed(client, settings, active);
      RbacSeed.seed(client, settings, active);
      RootCa root = LabFiles.newRootCa();
      WorkstationTrust.Pending trust = LabFiles.write(dir, root, identities.userPassword(), plan.trustRootCa(),
          plan.rootCaExtracted(), plan.workstationEnvironment(), profileSettings);
      servers.add(trust); // a lab that fails to start waits for the update before removing its folder
      FaultSeed.seed(client, settings, active, root);
      OpenShiftClient notes = client;
      nfs.unavailable().ifPresent(reason -> LabNotes.write(notes, LabNotes.NFS_UNAVAILABLE, reason));
      EventRecorder events = new EventRecorder(client);
      String ns = settings.namespace();
      OpenShiftClient store = client;
      RegistryTokenServer tokens = RegistryTokenServer.start(identities, api.authorizer(),
          (namespace, name) -> store.imageStreams().inNamespace(namespace).withName(name).get() != null,
          ca.servingFor(WellKnown.REGISTRY, ns), plan.tokenServiceDown());
      servers.add(tokens);
      AtomicReference<Kubelet> kubeletRef = new AtomicReference<>();
      RegistryFiles files = new RegistryFiles(() -> kubeletRef.get() == null ? List.of()
          : kubeletRef.get().dataDirs());
      RegistryEvents notifications = null;
      if (plan.recordPushes()) {
        notifications = RegistryEvents.start(new ImageRecorder(client, files, plan.corruptBlobs(),
            plan.holdImages()));
        servers.add(notifications);
      }
      RegistryConfigFile.Integration integration = new RegistryConfigFile.Integration(
          "https://" + WellKnown.REGISTRY + "." + ns + ".svc:" + tokens.port() + WellKnown.REGISTRY_TOKEN_PATH,
          WellKnown.REGISTRY_SERVER_ADDR, RegistryTokenServer.ISSUER, tokens.signerCertificatePem(),
          notifications == null ? null : notifications.url());
      kubelet = new Kubelet(client, events, settings, dir, plan.damageRegistryKey(),
          integration, plan.healthyRegistryContainers(), runtime);
      kubeletRef.set(kubelet);
      api.servePodLogs(kubelet);
      api.servePodPorts(kubelet);
      api.imageHooks(files.reactions(plan.deletionRemovesContent()));
      OAuthServer oauth = OAuthServer.start(identities, settings.appsDomain(),
          ca.servingFor(WellKnown.OAUTH_ROUTE, WellKnown.OAUTH_NAMESPACE));
      servers.add(oauth);
      OAuthSeed.seed(client, settings.appsDomain(), oauth.port());
      api.serveOAuthDiscovery(OAuthServer.issuer(settings.appsDomain()));
      Optional<String> routerUnavailable = haproxy.unavailableReason();
      Optional<HaproxyRouter> router = Optional.empty();
      if (routerUnavailable.isEmpty()) {
        HaproxyRouter started = new HaproxyRouter(client, settings.appsDomain(), ca.caPem(), tokens.port(),
            dir.resolve("router"), haproxy);
        servers.add(started); // closed with the servers: after the control plane, before the API server
        if (plan.proxyRequired()) {
          started.acceptingOnlyFrom(ConnectProxy.BEHIND); // the workstation reaches it through the proxy only
        }
        router = Optional.of(plan.foreignRouterCertificate()
            ? started.withForeignDefaultCertificate() : started);
      } else {
        LabNotes.write(client, LabNotes.ROUTER_UNAVAILABLE, routerUnavailable.get());
      }
      ImageRegistryOperator operator = new ImageRegistryOperator(client, ns, settings.appsDomain(), plan.operatorHotLoop());
      if (!plan.operatorReportsReadyReplicas()) {
        operator.withoutReadyReplicas();
      }
      List<Controller> controllers = new ArrayList<>(List.of(
          new PersistentVolumeBinder(client, events),
          !plan.runRegistryOperator() ? () -> { } // registry-capability-disabled: never installed
              : plan.publishHostname() ? operator : operator.withoutHostnamePublishing(),
          new ServiceCaController(client, ca, plan.serviceCertWrongSan()),
          plan.evictedRegistryHistory() ? new DeploymentController(client, ns).withEvictedHistory()
              : new DeploymentController(client, ns),
          new PodScheduler(client, events, ns),
          kubelet,
          // endpoints-stale: kube-controller-manager's endpoints controller does not run
          plan.endpointsController() ? new EndpointsController(client, kubelet, ns) : () -> { },
          new IngressOperator(client, settings.appsDomain())));
      router.ifPresent(controllers::add);
      (controlPlane = new ControlPlane(controllers)).tickNow();
      trust.await();
      WorkstationAccess access = WorkstationAccess.set(dir, plan, settings, api, identities, router, client, servers,
          haproxy);
      EmbeddedLab lab = new EmbeddedLab(identities, requestLog, api, client, kubelet, controlPlane,
          access.kubeconfig(), servers, integration, nfs.unavailable(), router, routerUnavailable);
      lab.kubeconfigServer = access.server();
      lab.nfsNamespace = nfs.namespace();
      lab.runtime = runtime;
      Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
      requestLog.onWrite(controlPlane::wake);
      controlPlane.start();
      try {
        if (plan.awaitSeededRollout()) {
          UnmanagedSeed.awaitRollout(client, ns);
        }
        if (plan.ingressCaTrusted()) { // the procedure was done yesterday, S10's trust step too
          LabFiles.trustIngressCa(client, dir.resolve(LabFiles.TRUST_DIR), plan.rootCaExtracted());
        }
      } catch (LabException | RuntimeException e) {
        lab.close();
        throw e;
      }
      return lab;
    } catch (IOException | RuntimeException | LabException e) {
      if (controlPlane != null) {
        controlPlane.close();
      }
      if (kubelet != null) {
        kubelet.close();
      }
      for (AutoCloseable server : servers) {
        try {
          server.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      runtime.close();
      if (client != null) {
        client.close();
      }
      api.close();
      if (e instanceof LabException lab) {
        throw lab;
      }
      throw new LabException("the embedded lab could not start: " + e.getMessage(), e);
    }
  }

  /** Why the lab runs no NFS server (S02's checks SKIP with it); empty when it runs one, or for nfs-down. */
  public Optional<String> nfsUnavailable() {
    return nfsUnavailable;
  }

  /** The lab's network namespace, where its NFS server runs (deleted at close); empty where it has none. */
  public Optional<String> nfsNamespace() {
    return nfsNamespace;
  }

  private volatile Optional<String> nfsNamespace = Optional.empty();
  /** Where the real parts run; closed after them (it removes whatever containers remain). */
  private volatile PartRuntime runtime = HostRuntime.INSTANCE;

  /** Why the lab runs no router (routes stay un-admitted); empty when it runs one. */
  public Optional<String> routerUnavailable() {
    return routerUnavailable;
  }

  /**
   * The default router's HTTPS port on 127.0.0.1, when it runs. Clients in the cluster's terms find
   * it as Endpoints {@code router-default} in openshift-ingress (port {@code https}).
   */
  public OptionalInt routerPort() {
    return router.map(r -> OptionalInt.of(r.httpsPort())).orElse(OptionalInt.empty());
  }

  /** The router itself (for tests). */
  public Optional<HaproxyRouter> router() {
    return router;
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String apiUrl() {
    return kubeconfigServer == null ? api.url() : kubeconfigServer;
  }

  /** What a pod reaches as KUBERNETES_SERVICE_HOST/PORT: the API server itself, never the front proxy. */
  public String inClusterApiUrl() {
    return api.url();
  }

  /** PEM of the CA that signs the API server's serving certificate (a pod's service-account {@code ca.crt}). */
  public String apiCaPem() {
    return api.caPem();
  }

  /** Where the kubeconfig points: the API server, or the client-certificate front proxy in front of it. */
  private volatile String kubeconfigServer;

  /** The user's kubeconfig in workDir (mode 0600): cluster/context {@code lab}, bearer token. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * The {@code --set} values that point the sandbox profile at this lab: its kubeconfig and the
   * workstation files of {@link LabFiles} (root CA, certificate dir, trust anchors, password file).
   */
  public Map<String, String> profileOverrides() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("cluster.kubeconfig", kubeconfig.toString());
    out.putAll(LabFiles.profileOverrides(kubeconfig.getParent()));
    return out;
  }

  /** Every API request so far (newest {@value RequestLog#CAPACITY} kept). */
  public List<RequestLog.Entry> requests() {
    return requestLog.entries();
  }

  /** POST/PUT/PATCH/DELETE requests sent by one actor. */
  public long mutatingRequestsBy(String actor) {
    return requestLog.mutatingRequestsBy(actor);
  }

  /** The actor name of the kubeconfig's identity (the seeded user). */
  public String userActor() {
    return identities.userActor();
  }

  /** The registry's token endpoint (for tests): {@code https://<service name>:<port>/openshift/token}. */
  public String registryTokenRealm() {
    return realm;
  }

  /** PEM of the certificate that signs the registry's tokens (for tests). */
  public String registryTokenSigner() {
    return tokenSigner;
  }

  /** PIDs of the docker-registry processes running now (for tests). */
  List<Long> registryPids() {
    return kubelet.pids();
  }

  /**
   * Every process the lab runs now (registries, haproxy, rpcbind, ganesha), so that a test can
   * check that none outlives {@link #close()}.
   */
  public List<Long> childPids() {
    List<Long> pids = new ArrayList<>(kubelet.pids());
    for (AutoCloseable server : registryServers) {
      if (server instanceof ChildProcesses c) {
        pids.addAll(c.childPids());
      }
    }
    return pids;
  }

  /**
   * Stops the control plane, every registry process and the API server. Idempotent, and a call
   * that finds another thread closing blocks until that close has finished: when close() returns,
   * no registry process is running any more, so the caller may delete workDir (a caller's shutdown
   * hook racing the lab's own hook relies on this).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closing = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down (we may be the hook)
    }
    RuntimeException failure = null;
    // each part is stopped even when an earlier one fails: the registry processes above all
    List<AutoCloseable> parts = new ArrayList<>(List.of(controlPlane, kubelet));
    parts.addAll(registryServers);
    parts.addAll(List.of(runtime, controlPlaneClient, api));
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    closed = true;
    if (failure != null) {
      throw failure;
    }
  }

  /** True once a close() has begun (it may still be stopping processes). */
  boolean closing() {
    return closing;
  }
}
