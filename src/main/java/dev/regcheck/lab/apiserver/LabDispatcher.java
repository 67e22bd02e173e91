package dev.regcheck.lab.apiserver;

import java.time.Duration;
import java.time.Instant;
import dev.regcheck.lab.apiserver.objects.CaptureScope;
import dev.regcheck.lab.apiserver.objects.ListPages;
import dev.regcheck.lab.apiserver.objects.Requests;
import dev.regcheck.lab.apiserver.objects.Store;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import dev.regcheck.lab.apiserver.objects.IndexedStore;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.concurrent.TimeUnit;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.security.MessageDigest;
import dev.regcheck.lab.core.PodLogs;
import dev.regcheck.lab.core.PodPorts;
import dev.regcheck.lab.apiserver.streams.PortForwardStreams;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.function.UnaryOperator;

/**
 * The kube-apiserver's request path: authenticates (bearer tokens, the lab front proxy's client
 * certificate identity, else anonymous), authorizes every request ({@link Authorization}), records
 * it with its actor, serves discovery, {@code /version}, pod logs and {@code users/~}, decides on
 * port-forwards, and hands the rest to fabric8's CRUD store (image-stream tags through
 * {@link ImageApi}, writes through {@link ObjectWrites}, lists through ListPages).
 */
final class LabDispatcher extends Dispatcher implements CustomResourceAware, Resetable {
  private static final Pattern API_GROUP_VERSION = Pattern.compile("^/apis/([^/]+)/([^/]+)/?$");
  private static final Pattern POD_LOG =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$");

  private final IndexedStore store;
  private final Identities identities;
  private final RequestLog log;
  private final ImageApi images;
  private final Authorization authorization;
  private final ListPages pages = new ListPages();
  private volatile Discovery discovery;
  private volatile ObjectWrites writes;
  private volatile OpenApi openApi;
  private volatile PodLogs podLogs = (ns, pod, previous) -> Optional.empty();
  private volatile PodPorts podPorts = (ns, uid, port) -> Optional.empty();

  LabDispatcher(IndexedStore store, Identities identities, RequestLog log) {
    this.store = store;
    this.identities = identities;
    this.log = log;
    this.images = new ImageApi(store);
    this.authorization = new Authorization(store);
  }

  /** The authorizer every request passes, and the registry's token server asks too. */
  Rbac rbac() {
    return authorization.rbac();
  }

  /** The image API's virtual resources and the registry's reactions to image deletions. */
  ImageApi images() {
    return images;
  }

  static final String OAUTH_DISCOVERY = "/.well-known/oauth-authorization-server";
  static final String FRONT_PROXY_HEADER = "X-Regcheck-Front-Proxy";
  static final String REMOTE_USER_HEADER = "X-Remote-User";
  static final String REMOTE_GROUP_HEADER = "X-Remote-Group";
  private volatile String oauthIssuer;

  /** The OAuth server's URL ({@code https://oauth-openshift.<apps domain>}), published in discovery. */
  void serveOAuthDiscovery(String issuer) {
    this.oauthIssuer = issuer;
  }

  void serveDiscovery(Discovery discovery) {
    this.discovery = discovery;
    this.writes = new ObjectWrites(store, discovery, identities);
    identities.accountsFrom(writes::accountUid);
    this.openApi = new OpenApi(discovery);
  }

  private volatile MockWebServer recorder;

  /**
   * The mock server keeps every request it received in an unbounded queue for tests to take; the
   * lab takes none, so each dispatch empties it (a lab left up for hours would otherwise keep them all).
   */
  void forgetRecordedRequests(MockWebServer web) {
    this.recorder = web;
  }

  void servePodLogs(PodLogs podLogs) {
    this.podLogs = podLogs;
  }

  void servePodPorts(PodPorts podPorts) {
    this.podPorts = podPorts;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockWebServer web = recorder;
    if (web != null) {
      try {
        while (web.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
          // dropped: nobody reads them
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String method = request.getMethod();
    String pathAndQuery = request.getPath();
    Optional<Principal> principal = authenticate(request::getHeader);
    MockResponse response;
    if (principal.isEmpty()) {
      // a bearer token the server does not know (or no longer knows: expired, logged out), on any
      // path: authentication comes before everything, public discovery included
      response = status(401, "Unauthorized", "Unauthorized");
    } else if ("GET".equals(method) && pathAndQuery.startsWith(OAUTH_DISCOVERY) && oauthIssuer != null) {
      // discovery is public, as on the real API server
      response = json(Requests.oauthDiscovery(oauthIssuer));
    } else {
      response = authorized(method, pathAndQuery, principal.get().actor(), principal.get().groups(), request);
    }
    log.add(method, pathAndQuery, principal.map(Principal::actor).orElse(Identities.ANONYMOUS), response.code());
    return response;
  }

  /** Who a request is from, with the groups authorization asks about. */
  record Principal(String actor, Set<String> groups) {}

  /**
   * Authentication: a bearer token the lab issued, else the identity the lab's front proxy names
   * (with its secret), else, without any credentials, the anonymous user. Empty: 401.
   */
  private Optional<Principal> authenticate(UnaryOperator<String> header) {
    String authorization = header.apply("Authorization");
    Optional<String> actor = identities.actorFor(authorization);
    Set<String> groups = actor.map(Rbac::groupsOf).orElse(Set.of());
    String proxied = header.apply(FRONT_PROXY_HEADER);
    if (actor.isEmpty() && proxied != null && MessageDigest.isEqual(
        proxied.getBytes(StandardCharsets.UTF_8),
        identities.frontProxySecret().getBytes(StandardCharsets.UTF_8))) {
      // the front proxy verified a client certificate and names its subject and organization, as
      // kube's requestheader authenticator takes them
      actor = Optional.ofNullable(header.apply(REMOTE_USER_HEADER)).filter(u -> !u.isBlank());
      Set<String> fromCertificate = new HashSet<>(Set.of("system:authenticated"));
      Optional.ofNullable(header.apply(REMOTE_GROUP_HEADER)).filter(g -> !g.isBlank()).ifPresent(fromCertificate::add);
      groups = fromCertificate;
    }
    boolean credentialsGiven = authorization != null && !authorization.isBlank();
    if (actor.isEmpty() && !credentialsGiven) {
      // no credentials: the anonymous user, whom authorization then judges (403 for nearly everything)
      return Optional.of(new Principal(Identities.ANONYMOUS, Rbac.groupsOf(Identities.ANONYMOUS)));
    }
    Set<String> of = groups;
    return actor.map(a -> new Principal(a, of));
  }

  /**
   * An upgrade to {@code pods/<name>/portforward}: authenticated, then authorized for get and
   * create on pods/portforward (a WebSocket upgrade is a GET, which Kubernetes 1.31 and later also
   * authorize as create: both are asked, so no cluster version is stricter), then the pod must
   * exist and be bound to a node. The kubelet's part is {@code ports}.
   */
  PortForwardStreams.Admission admitPortForward(UnaryOperator<String> header, String namespace, String pod,
      String pathAndQuery) {
    PodPorts ports = podPorts;
    Optional<Principal> principal = authenticate(header);
    PortForwardStreams.Admission admission;
    if (principal.isEmpty()) {
      admission = refused(status(401, "Unauthorized", "Unauthorized"));
    } else {
      String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
      Authorization.Request get = Authorization.Request.of("GET", path, Map.of());
      Authorization.Request create = Authorization.Request.of("POST", path, Map.of());
      Optional<MockResponse> denied = authorization.deny(principal.get().actor(), principal.get().groups(), get)
          .or(() -> authorization.deny(principal.get().actor(), principal.get().groups(), create));
      admission = denied.map(LabDispatcher::refused).orElseGet(() -> podToForward(namespace, pod, ports));
    }
    log.add("GET", pathAndQuery, principal.map(Principal::actor).orElse(Identities.ANONYMOUS),
        admission.code() == 0 ? 101 : admission.code());
    return admission;
  }

  private PortForwardStreams.Admission podToForward(String namespace, String name, PodPorts ports) {
    MockResponse read = store.dispatch(Store.request(HttpMethod.GET, "/api/v1/namespaces/" + namespace + "/pods/" + name, null));
    if (read.code() != 200) {
      return refused(status(404, "NotFound", "pods \"" + name + "\" not found"));
    }
    Pod pod = Serialization.unmarshal(read.getBody().readUtf8(), Pod.class);
    if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
      return refused(status(400, "BadRequest", "pod " + name + " does not have a host assigned"));
    }
    String uid = pod.getMetadata().getUid();
    return PortForwardStreams.Admission.to(name, uid, port -> ports.listening(namespace, uid, port));
  }

  private static PortForwardStreams.Admission refused(MockResponse response) {
    return PortForwardStreams.Admission.refused(response.code(), response.getBody().readUtf8());
  }

  private MockResponse authorized(String method, String pathAndQuery, String actor, Set<String> groups,
      RecordedRequest request) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : Requests.parseQuery(pathAndQuery.substring(q + 1));
    Authorization.Request asked = Authorization.Request.of(method, path, query);
    Optional<MockResponse> denied = authorization.deny(actor, groups, asked);
    if (denied.isPresent()) {
      return denied.get();
    }
    if ("POST".equals(method) && path.equals(Authorization.SSAR_PATH)) {
      return authorization.selfSubjectAccessReview(actor, groups, request.getBody().readUtf8());
    }
    MockResponse response = route(method, pathAndQuery, actor, request);
    if ("DELETE".equals(method) && path.startsWith(OAUTH_TOKENS + "/") && response.code() < 300) {
      identities.revoked(path.substring(OAUTH_TOKENS.length() + 1)); // oc logout
    }
    return response;
  }

  static final String OAUTH_TOKENS = "/apis/oauth.openshift.io/v1/oauthaccesstokens";

  /** oauth-server's record of a token it issued: an {@code oauthaccesstokens} object, never the token itself. */
  void createTokenObject(String name, String user, Instant created, Duration lifetime) {
    String body = "{\"apiVersion\":\"oauth.openshift.io/v1\",\"kind\":\"OAuthAccessToken\",\"metadata\":{\"name\":\""
        + name + "\"},\"clientName\":\"openshift-challenging-client\",\"expiresIn\":" + lifetime.toSeconds()
        + ",\"scopes\":[\"user:full\"],\"redirectURI\":\"" + (oauthIssuer == null ? "" : oauthIssuer)
        + "/oauth/token/implicit\",\"userName\":\"" + user + "\",\"userUID\":\"\"}";
    MockResponse stored = store.dispatch(Store.request(HttpMethod.POST, OAUTH_TOKENS, body));
    // the OAuth server writes it through the API, as its service account: a login is a write
    log.add("POST", OAUTH_TOKENS, OAUTH_SERVER_ACTOR, stored.code());
  }

  /** Who writes the {@code oauthaccesstokens} of a login on a cluster. */
  static final String OAUTH_SERVER_ACTOR = "system:serviceaccount:openshift-authentication:oauth-openshift";

  private MockResponse route(String method, String pathAndQuery, String actor,
      RecordedRequest request) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : Requests.parseQuery(pathAndQuery.substring(q + 1));
    if ("GET".equals(method)) {
      Optional<MockResponse> special = special(path, query, actor);
      if (special.isPresent()) {
        return special.get();
      }
    }
    Optional<MockResponse> uncaptured = uncaptured(method, path, query, discovery);
    if (uncaptured.isPresent()) {
      return uncaptured.get();
    }
    Optional<MockResponse> image = images.serve(method, path);
    if (image.isPresent()) {
      return image.get();
    }
    ObjectWrites w = writes;
    if (w != null && !query.containsKey("watch")) {
      boolean hasBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
          || method.equals("DELETE"); // a DELETE's body is its DeleteOptions (gracePeriodSeconds)
      String body = hasBody ? request.getBody().readUtf8() : null;
      String contentType = request.getHeader("Content-Type");
      Optional<MockResponse> written = w.serve(method, path, query, contentType, body);
      if (written.isPresent()) {
        images.after(method, path, written.get().code());
        return written.get();
      }
      if (hasBody) {
        request = Store.request(HttpMethod.valueOf(method), pathAndQuery, contentType, body);
      }
    }
    Discovery d = discovery;
    Optional<ResourcePath> listed = "GET".equals(method) && !query.containsKey("watch") && d != null
        ? ResourcePath.parse(path, d).filter(t -> t.name() == null) : Optional.empty();
    if (listed.isPresent()) {
      return pages.serve(store, path, pathAndQuery, query, new ListPages.Resource(listed.get().groupVersion(),
          listed.get().kind().plural(), listed.get().kind().kind() + "List"));
    }
    MockResponse response = store.dispatch(request);
    images.after(method, path, response.code());
    if (response.getWebSocketListener() == null && response.header("Content-Type") == null) {
      response.setHeader("Content-Type", "application/json");
    }
    return response;
  }

  private volatile CaptureScope capture;

  /** Serves a capture: what it did not collect is 403 "not in the capture", never 404 (absent) or an empty list. */
  void serveCapture(CaptureScope scope) {
    this.capture = scope;
  }

  /** Puts a captured object in the store as it was; empty when done, else why not. */
  Optional<String> load(String apiVersion, String kind, String namespace, String json) {
    Optional<Discovery.Kind> k = discovery.kinds(apiVersion).stream().filter(x -> x.kind().equals(kind)).findFirst();
    if (k.isEmpty()) {
      return Optional.of(kind + " (" + apiVersion + ") is not served by the lab's API");
    }
    boolean namespaced = k.get().namespaced();
    if (namespaced && (namespace == null || namespace.isEmpty())) {
      return Optional.of(kind + " without a namespace");
    }
    store.load((apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion
        + (namespaced ? "/namespaces/" + namespace : "") + "/" + k.get().plural(), json);
    return Optional.empty();
  }

  /** A read of what the capture did not collect: 403 naming it (the harness SKIPs "not in the capture"). */
  private Optional<MockResponse> uncaptured(String method, String path, Map<String, String> query, Discovery d) {
    CaptureScope scope = capture;
    Optional<ResourcePath> read = scope == null || !"GET".equals(method) || d == null ? Optional.empty()
        : ResourcePath.parse(path, d).filter(r -> r.subresource() == null);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    ResourcePath r = read.get();
    String group = r.groupVersion().contains("/") ? r.groupVersion().substring(0, r.groupVersion().indexOf('/')) : "";
    // a named get answers as a list chosen by its name would
    if (scope.holds(group, r.kind().kind(), r.namespace() == null ? "" : r.namespace(), query.get("labelSelector"),
        r.name() != null ? "metadata.name=" + r.name() : query.get("fieldSelector"))) {
      return Optional.empty();
    }
    // a captured object is served by name; a list of what the capture holds only in part would pass for all there is
    String where = r.namespace() == null ? "" : " in namespace " + r.namespace();
    if (r.name() == null) {
      return Optional.of(status(403, "Forbidden", "not in the capture: " + (store.list(path).items().isEmpty() ? ""
          : "all the ") + r.kind().plural() + where));
    }
    return store.handleGet(path).code() == 200 ? Optional.empty() : Optional.of(status(403, "Forbidden",
        "not in the capture: " + r.kind().plural() + " \"" + r.name() + "\"" + where));
  }

  private Optional<MockResponse> special(String path, Map<String, String> query, String actor) {
    Discovery d = discovery;
    if (d != null) {
      switch (path) {
        case "/version", "/version/":
          return Optional.of(json(d.version()));
        case "/api", "/api/":
          return Optional.of(json(d.coreVersions()));
        case "/api/v1", "/api/v1/":
          return d.resources("v1").map(LabDispatcher::json);
        case "/apis", "/apis/":
          return Optional.of(json(d.groups()));
        default:
          break;
      }
      Matcher gv = API_GROUP_VERSION.matcher(path);
      if (gv.matches()) {
        return Optional.of(d.resources(gv.group(1) + "/" + gv.group(2)).map(LabDispatcher::json)
            .orElseGet(() -> status(404, "NotFound", "the server could not find the requested resource")));
      }
    }
    Optional<String> openApiDocument = openApi == null ? Optional.empty() : openApi.serve(path);
    if (openApiDocument.isPresent()) {
      return Optional.of(json(openApiDocument.get()));
    }
    if (path.startsWith("/openapi/")) {
      return Optional.of(status(404, "NotFound", "the server could not find the requested resource"));
    }
    if (path.equals("/apis/user.openshift.io/v1/users/~")) {
      return Optional.of(json("{\"kind\":\"User\",\"apiVersion\":\"user.openshift.io/v1\","
          + "\"metadata\":{\"name\":\"" + actor + "\"},\"groups\":[\"system:authenticated\","
          + "\"system:authenticated:oauth\"]}"));
    }
    Matcher podLog = POD_LOG.matcher(path);
    if (podLog.matches()) {
      return Optional.of(Requests.podLog(podLogs, podLog.group(1), podLog.group(2), query, capture != null));
    }
    return Optional.empty();
  }

  private static MockResponse json(String body) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  static MockResponse status(int code, String reason, String message) {
    String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"reason\":\""
        + reason + "\",\"code\":" + code + "}";
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  @Override
  public void expectCustomResource(CustomResourceDefinitionContext rdc) {
    store.expectCustomResource(rdc);
  }

  @Override
  public void reset() {
    store.reset();
  }

  @Override
  public void shutdown() {
    store.shutdown();
  }
}
