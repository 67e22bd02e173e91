package dev.regcheck.lab.apiserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.core.LabHttps;
import dev.regcheck.lab.core.WellKnown;

/**
 * The OpenShift OAuth server's password login for the command line ({@code oc login -u -p}):
 * {@code GET /oauth/authorize?client_id=openshift-challenging-client&response_type=token} with a
 * non-empty {@code X-CSRF-Token} header answers 401 with {@code WWW-Authenticate: Basic
 * realm="openshift"} until Basic credentials of the lab's user are given, then 302 to
 * {@code /oauth/token/implicit#access_token=…&expires_in=86400&scope=user%3Afull&token_type=Bearer}.
 * The token is one the lab's API server and registry token endpoint accept.
 *
 * <p>Where the lab differs: the real oauth-openshift pods sit behind a <em>passthrough</em> route
 * and serve the ingress certificate themselves (synced from {@code router-certs}); here the server
 * has a service-CA certificate and its route is reencrypt, so the client still meets the ingress
 * certificate at the router. Only the implicit flow of the challenging client exists.
 */
public final class OAuthServer implements AutoCloseable {
  static final String CLIENT = "openshift-challenging-client";
  static final long EXPIRES_IN = 86_400;

  private final Identities identities;
  private final String issuer;
  private final HttpsServer server;

  private OAuthServer(Identities identities, String issuer, HttpsServer server) {
    this.identities = identities;
    this.issuer = issuer;
    this.server = server;
  }

  /** Serves on 127.0.0.1 with {@code serving} (a certificate for the oauth-openshift service). */
  public static OAuthServer start(Identities identities, String appsDomain, ServiceCa.Serving serving) throws LabException {
    try {
      HttpsServer server = LabHttps.create("lab-oauth", serving);
      OAuthServer oauth = new OAuthServer(identities, issuer(appsDomain), server);
      server.createContext("/oauth/authorize", oauth::authorize);
      server.createContext("/oauth/token/implicit", oauth::implicit);
      server.start();
      return oauth;
    } catch (IOException | GeneralSecurityException e) {
      throw new LabException("the lab's OAuth server could not start: " + e.getMessage(), e);
    }
  }

  /** {@code https://oauth-openshift.<apps domain>}. */
  public static String issuer(String appsDomain) {
    return "https://" + WellKnown.OAUTH_ROUTE + "." + appsDomain;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void authorize(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> query = LabHttps.query(exchange.getRequestURI());
      String client = LabHttps.first(query, "client_id").orElse("");
      String type = LabHttps.first(query, "response_type").orElse("");
      if (!"GET".equals(exchange.getRequestMethod()) || !CLIENT.equals(client) || !"token".equals(type)) {
        send(exchange, 400, "{\"error\":\"unsupported_response_type\",\"error_description\":"
            + "\"only the challenging client's implicit flow is served by the lab\"}");
        return;
      }
      String csrf = exchange.getRequestHeaders().getFirst("X-CSRF-Token");
      if (csrf == null || csrf.isBlank()) {
        // the real server only challenges clients that prove they are not a browser form
        send(exchange, 400, "{\"error\":\"A non-empty X-CSRF-Token header is required to receive basic-auth challenges\"}");
        return;
      }
      String[] basic = basic(exchange.getRequestHeaders().getFirst("Authorization"));
      if (basic == null || !identities.passwordMatches(basic[0], basic[1])) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"openshift\"");
        send(exchange, 401, "");
        return;
      }
      String token = identities.issueToken(basic[0]);
      exchange.getResponseHeaders().set("Location", issuer + "/oauth/token/implicit#access_token="
          + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&expires_in=" + EXPIRES_IN
          + "&scope=user%3Afull&token_type=Bearer");
      send(exchange, 302, "");
    }
  }

  /** Where the redirect points: a page that shows nothing (the token travels in the fragment). */
  private void implicit(HttpExchange exchange) throws IOException {
    try (exchange) {
      send(exchange, 200, "");
    }
  }

  private static String[] basic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (!body.isEmpty()) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    LabHttps.stop(server);
  }
}
