package dev.regcheck.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A registry with OpenShift-style token auth, for mockwebserver3: {@code /openshift/token} takes
 * HTTP Basic with any user name and {@link #secret} as password and issues random tokens for the
 * scopes asked ({@link #grant} may narrow them); other paths need a token covering the scope the
 * method implies (Distribution's rules), or Basic when {@link #acceptBasic}. Content comes from
 * {@link #route}s keyed by {@code "METHOD /path"} (query excluded); paths outside {@code /v2/} need
 * no auth (storage that blobs redirect to).
 */
final class FakeRegistry extends Dispatcher {
  static final String HOST = TestPki.SERVICE + ":5000";
  static final String REALM = "https://" + HOST + "/openshift/token";
  static final String SERVICE = "openshift-registry";

  final String secret;
  /** Narrows the scopes of an issued token (e.g. drop push). */
  volatile UnaryOperator<String> grant = UnaryOperator.identity();
  /** OpenShift's behaviour for a refused token: a Basic challenge instead of a Bearer one. */
  volatile boolean basicChallengeForBadToken;
  volatile boolean acceptBearer = true;
  volatile boolean acceptBasic;
  volatile long expiresIn = 300;

  final List<RecordedRequest> requests = new ArrayList<>();
  final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> scopesByToken = new ConcurrentHashMap<>();
  private final Map<String, Function<RecordedRequest, MockResponse>> routes = new ConcurrentHashMap<>();

  FakeRegistry(String secret) {
    this.secret = secret;
  }

  FakeRegistry route(String methodAndPath, Function<RecordedRequest, MockResponse> handler) {
    routes.put(methodAndPath, handler);
    return this;
  }

  FakeRegistry route(String methodAndPath, MockResponse response) {
    return route(methodAndPath, r -> response);
  }

  synchronized List<RecordedRequest> requests(String methodAndPathPrefix) {
    return requests.stream().filter(r -> (r.getMethod() + " " + r.getTarget()).startsWith(methodAndPathPrefix)).toList();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    synchronized (this) {
      requests.add(request);
    }
    String path = path(request);
    if (path.equals("/openshift/token")) {
      return token(request);
    }
    if (!path.startsWith("/v2/")) {
      return respond(request, path); // storage a blob is redirected to: no registry auth
    }
    String needed = neededScope(request.getMethod(), path);
    String authorization = request.getHeaders().get("Authorization");
    if (!authorized(authorization, needed)) {
      boolean badToken = authorization != null && authorization.startsWith("Bearer ");
      if (badToken && basicChallengeForBadToken) {
        return error(401, "UNAUTHORIZED", "authentication required").setHeader("WWW-Authenticate", "Basic realm=\"openshift\"").build();
      }
      String challenge = "Bearer realm=\"" + REALM + "\",service=\"" + SERVICE + "\""
          + (needed == null ? "" : ",scope=\"" + needed + "\"") + (badToken ? ",error=\"insufficient_scope\"" : "");
      return error(401, "UNAUTHORIZED", "authentication required").setHeader("WWW-Authenticate", challenge).build();
    }
    if (path.equals("/v2/")) {
      return new MockResponse.Builder().code(200).body("{}").build();
    }
    return respond(request, path);
  }

  private MockResponse respond(RecordedRequest request, String path) {
    Function<RecordedRequest, MockResponse> handler = routes.get(request.getMethod() + " " + path);
    return handler != null ? handler.apply(request) : new MockResponse.Builder().code(404).build();
  }

  private static String path(RecordedRequest request) {
    String target = request.getTarget();
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** Distribution's rule: GET/HEAD pull, POST/PUT/PATCH pull+push, DELETE delete; /v2/ needs a valid login only. */
  private static String neededScope(String method, String path) {
    if (path.equals("/v2/")) {
      return null;
    }
    if (path.equals("/v2/_catalog")) {
      return "registry:catalog:*";
    }
    int end = path.indexOf("/", path.indexOf("/", "/v2/".length()) + 1);
    String repo = path.substring("/v2/".length(), end < 0 ? path.length() : end);
    String actions = switch (method) {
      case "GET", "HEAD" -> "pull";
      case "DELETE" -> "delete";
      default -> "pull,push";
    };
    return "repository:" + repo + ":" + actions;
  }

  private boolean authorized(String authorization, String needed) {
    if (authorization == null) {
      return false;
    }
    if (authorization.startsWith("Basic ")) {
      return acceptBasic && secret.equals(password(authorization));
    }
    if (!acceptBearer || !authorization.startsWith("Bearer ")) {
      return false;
    }
    Set<String> granted = scopesByToken.get(authorization.substring("Bearer ".length()));
    return granted != null && (needed == null || covers(granted, needed));
  }

  private static boolean covers(Set<String> granted, String needed) {
    String resource = needed.substring(0, needed.lastIndexOf(':'));
    Set<String> actions = new HashSet<>();
    for (String g : granted) {
      if (g.startsWith(resource + ":")) {
        actions.addAll(List.of(g.substring(resource.length() + 1).split(",")));
      }
    }
    return actions.contains("*") || actions.containsAll(List.of(needed.substring(resource.length() + 1).split(",")));
  }

  private MockResponse token(RecordedRequest request) {
    String authorization = request.getHeaders().get("Authorization");
    if (authorization == null || !secret.equals(password(authorization))) {
      return error(401, "UNAUTHORIZED", "invalid credentials").build();
    }
    Set<String> scopes = new HashSet<>();
    for (String scope : request.getUrl().queryParameterValues("scope")) {
      scopes.add(grant.apply(scope));
    }
    String token = "issued-" + UUID.randomUUID();
    issued.add(token);
    scopesByToken.put(token, scopes);
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn + "}").build();
  }

  static String password(String basicAuthorization) {
    if (!basicAuthorization.startsWith("Basic ")) {
      return null;
    }
    String decoded = new String(Base64.getDecoder().decode(basicAuthorization.substring(6)), StandardCharsets.UTF_8);
    return decoded.substring(decoded.indexOf(':') + 1);
  }

  /**
   * Server sockets whose connections have Nagle off: mockwebserver3 writes status line, headers and
   * body separately, which Nagle and the client's delayed ACK turn into 40 ms per exchange.
   */
  static ServerSocketFactory noDelay() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return new ServerSocket() {
          @Override
          public Socket accept() throws IOException {
            Socket s = super.accept();
            s.setTcpNoDelay(true);
            return s;
          }
        };
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 50, null);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        ServerSocket s = createServerSocket();
        s.bind(new InetSocketAddress(address, port), backlog);
        return s;
      }
    };
  }

  static MockResponse.Builder error(int status, String code, String message) {
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
        .body("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":null}]}");
  }
}
