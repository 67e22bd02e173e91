package dev.regcheck.lab.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import dev.regcheck.lab.apiserver.objects.CaptureScope;
import dev.regcheck.lab.apiserver.objects.IndexedStore;
import java.util.Optional;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.PodLogs;
import dev.regcheck.lab.core.PodPorts;
import dev.regcheck.lab.core.ServiceCa;

/**
 * The kube-apiserver imitation: fabric8's mock server over HTTPS on 127.0.0.1 with the
 * {@link LabDispatcher} in front, and status subresources for the OpenShift kinds the lab uses.
 * Clients reach it through {@link ApiFront} ({@link #url()}), which also streams watches over
 * plain HTTP; the lab's own controllers talk to the mock directly.
 */
public final class ApiServer implements AutoCloseable {
  /** Held so the level sticks: the mock logs every request at INFO through java.util.logging. */
  private static final Logger MOCK_LOG = quiet("io.fabric8.mockwebserver.MockWebServer");
  /** Watches still open when the lab stops make the mock log SEVERE "WebSocket is closed": expected at close. */
  private static final Logger MOCK_WS_LOG = silent("io.fabric8.mockwebserver.vertx.VertxMockWebSocket");

  private static Logger silent(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.OFF);
    return logger;
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.WARNING);
    return logger;
  }

  /** The installer's name for the CA of the API's external certificate. */
  public static final String SIGNER = "kube-apiserver-lb-signer";

  private final KubernetesMockServer server;
  private final LabDispatcher dispatcher;
  private final String caPem;
  private final String backendCaPem;
  private final ApiFront front;
  private final String url;
  private final String backendUrl;

  private ApiServer(KubernetesMockServer server, LabDispatcher dispatcher, String caPem, String backendCaPem,
      ApiFront front) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.caPem = caPem;
    this.backendCaPem = backendCaPem;
    this.front = front;
    this.url = "https://" + front.host() + ":" + front.port();
    this.backendUrl = "https://127.0.0.1:" + server.getPort();
  }

  /**
   * Starts the API server; clients see a certificate for {@code apiHost} (and 127.0.0.1, the
   * address the lab's kubeconfig names) signed by the lab's own kube-apiserver-lb-signer, as the
   * installer's API certificate is.
   */
  public static ApiServer start(Identities identities, RequestLog log, String apiHost) throws LabException {
    return start(identities, log, apiHost, "127.0.0.1");
  }

  /** As {@link #start(Identities, RequestLog, String)}, the front listening on {@code frontHost} (proxy-required: behind the proxy). */
  public static ApiServer start(Identities identities, RequestLog log, String apiHost, String frontHost)
      throws LabException {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    LabDispatcher dispatcher =
        new LabDispatcher(new IndexedStore(), identities, log);
    MockWebServer web = new MockWebServer();
    KubernetesMockServer server = new KubernetesMockServer(
        new Context(new ObjectMapper()), web, expectations, dispatcher, true);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException | RuntimeException e) {
      throw new LabException("the lab API server could not start on 127.0.0.1: " + e.getMessage(), e);
    }
    dispatcher.forgetRecordedRequests(web);
    String backendCaPem;
    try {
      backendCaPem = Files.readString(Path.of(server.getSelfSignedCertificate().certificatePath()),
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      server.destroy();
      throw new LabException("cannot read the API server certificate: " + e.getMessage(), e);
    }
    ApiFront front;
    ServiceCa signer;
    try {
      signer = ServiceCa.create(SIGNER);
      ServiceCa.Serving serving = signer.serving(apiHost, "127.0.0.1");
      front = ApiFront.start(frontHost, server.getPort(), serving.certificateChainPem(), serving.privateKeyPem(),
          dispatcher::admitPortForward);
    } catch (LabException | RuntimeException e) {
      server.destroy();
      throw e;
    }
    ApiServer api = new ApiServer(server, dispatcher, signer.caPem(), backendCaPem, front);
    dispatcher.serveDiscovery(new Discovery("127.0.0.1:" + server.getPort()));
    identities.recordTokensIn(dispatcher::createTokenObject);
    api.withStatus("imageregistry.operator.openshift.io", "configs", "Config", false);
    api.withStatus("config.openshift.io", "clusteroperators", "ClusterOperator", false);
    api.withStatus("config.openshift.io", "images", "Image", false);
    api.withStatus("config.openshift.io", "clusterversions", "ClusterVersion", false);
    api.withStatus("route.openshift.io", "routes", "Route", true);
    return api;
  }

  private void withStatus(String group, String plural, String kind, boolean namespaced) {
    server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
        .withName(plural + "." + group).withGroup(group).withVersion("v1").withPlural(plural)
        .withKind(kind).withScope(namespaced ? "Namespaced" : "Cluster")
        .withStatusSubresource(true).build());
  }

  /** Puts a captured object in the store as it was read; empty when done, else why it was not. */
  public Optional<String> load(String apiVersion, String kind, String namespace, String json) {
    return dispatcher.load(apiVersion, kind, namespace, json);
  }

  /** Serves a capture: reads of what it did not collect are 403 "not in the capture". */
  public void serveCapture(CaptureScope scope) {
    dispatcher.serveCapture(scope);
  }

  /** The port clients use (the front). */
  public int port() {
    return front.port();
  }

  public String url() {
    return url;
  }

  /** PEM of the CA that signed the certificate clients see (a kubeconfig's certificate-authority-data). */
  public String caPem() {
    return caPem;
  }

  /** Publishes the OAuth server in {@code /.well-known/oauth-authorization-server}. */
  public void serveOAuthDiscovery(String issuer) {
    dispatcher.serveOAuthDiscovery(issuer);
  }

  public void servePodLogs(PodLogs podLogs) {
    dispatcher.servePodLogs(podLogs);
  }

  /** What {@code pods/<name>/portforward} connects to: the kubelet's ports of its pods. */
  public void servePodPorts(PodPorts podPorts) {
    dispatcher.servePodPorts(podPorts);
  }

  /** The one authorizer: every API request passes it, and the registry's token server asks it. */
  public Rbac authorizer() {
    return dispatcher.rbac();
  }

  /** What the registry does when Images, image-stream tags or image streams are deleted. */
  public void imageHooks(ImageApi.Hooks hooks) {
    dispatcher.images().hooks(hooks);
  }

  /** A client authenticating with the given bearer token, trusting only the API's certificate. */
  public OpenShiftClient client(String token) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(backendUrl)
        .withCaCertData(Base64.getEncoder()
            .encodeToString(backendCaPem.getBytes(StandardCharsets.US_ASCII)))
        .withOauthToken(token).withNamespace("default").withRequestRetryBackoffLimit(1)
        .withRequestTimeout(10_000).withConnectionTimeout(5_000).build();
    return new KubernetesClientBuilder().withConfig(config).build().adapt(OpenShiftClient.class);
  }

  @Override
  public void close() {
    try {
      front.close();
      server.destroy();
    } finally {
      server.getSelfSignedCertificate().delete();
    }
  }
}
