package dev.regcheck.client;

import dev.regcheck.tls.HttpsProxy;
import java.security.NoSuchAlgorithmException;
import java.security.MessageDigest;
import java.util.Base64;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.registry.AddressMap;
import dev.regcheck.registry.Tls;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * {@code oc login -u <user> -p <password>}: the OAuth server's challenging-client flow. The API
 * server's {@code /.well-known/oauth-authorization-server} names the authorization endpoint
 * ({@code https://oauth-openshift.<apps domain>/oauth/authorize}); a GET of it with
 * {@code client_id=openshift-challenging-client&response_type=token}, {@code X-CSRF-Token} and Basic
 * credentials answers 302 with the access token in the Location's fragment. Redirects are not
 * followed; the token never leaves this class except in {@link Token}.
 */
public final class OAuthLogin {
  public static final String DISCOVERY = "/.well-known/oauth-authorization-server";
  public static final String CLIENT = "openshift-challenging-client";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An access token and its lifetime. {@link #toString()} never shows the value. */
  public record Token(String value, Duration expiresIn) {
    @Override
    public String toString() {
      return "Token[expires in " + expiresIn + "]";
    }
  }

  /** The name of a token's {@code oauthaccesstokens} object: {@code sha256~} + base64url(SHA-256(the part after sha256~)). */
  public static String objectName(String token) {
    String secret = token.startsWith("sha256~") ? token.substring(7) : token;
    try {
      return "sha256~" + Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Why the login failed: {@code UNTRUSTED} TLS, {@code REFUSED} credentials, or anything else. */
  public static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind { UNTRUSTED, REFUSED, CONNECTION, PROTOCOL }

    private final Kind kind;

    Failure(Kind kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  private OAuthLogin() {}

  /** The authorization endpoint the API server publishes (through the run's API client). */
  public static String authorizationEndpoint(OpenShiftClient client) throws Failure {
    String body;
    try {
      body = client.raw(DISCOVERY);
    } catch (RuntimeException e) {
      throw new Failure(Failure.Kind.PROTOCOL, "GET " + DISCOVERY + " on the API server failed: " + e.getMessage(), e);
    }
    if (body == null) {
      throw new Failure(Failure.Kind.PROTOCOL, "the API server serves no " + DISCOVERY + " (is the OAuth server installed?)", null);
    }
    try {
      JsonNode doc = JSON.readTree(body);
      String endpoint = doc.path("authorization_endpoint").asText("");
      if (!endpoint.startsWith("https://")) {
        throw new Failure(Failure.Kind.PROTOCOL, DISCOVERY + " names no https authorization_endpoint", null);
      }
      return endpoint;
    } catch (IOException e) {
      if (e instanceof Failure f) {
        throw f;
      }
      throw new Failure(Failure.Kind.PROTOCOL, DISCOVERY + " is not JSON: " + e.getMessage(), e);
    }
  }

  /** The challenging client's password login at {@code authorizeUrl}, trusting exactly {@code trust}. */
  public static Token login(String authorizeUrl, String user, String password, AddressMap addresses,
      List<X509Certificate> trust, Duration timeout) throws Failure {
    return login(authorizeUrl, user, password, addresses, trust, timeout, Optional.empty());
  }

  /** As oc does it behind a proxy: through {@code proxy} where NO_PROXY does not exempt the OAuth server. */
  public static Token login(String authorizeUrl, String user, String password, AddressMap addresses,
      List<X509Certificate> trust, Duration timeout, Optional<HttpsProxy> proxy) throws Failure {
    Tls tls = Tls.trusting(trust);
    OkHttpClient.Builder b = new OkHttpClient.Builder().dns(addresses.dns()).socketFactory(addresses.socketFactory())
        .sslSocketFactory(tls.socketFactory(), tls.trustManager()).followRedirects(false).followSslRedirects(false)
        .callTimeout(timeout);
    if (tls.hostnameVerifier() != null) {
      b.hostnameVerifier(tls.hostnameVerifier());
    }
    proxy.ifPresent(p -> {
      b.proxySelector(p.selector());
      p.authorization().ifPresent(a -> b.proxyAuthenticator((route, response) -> response.request().newBuilder()
          .header("Proxy-Authorization", a).build()));
    });
    OkHttpClient http = b.build();
    HttpUrl url = HttpUrl.get(authorizeUrl).newBuilder().addQueryParameter("client_id", CLIENT)
        .addQueryParameter("response_type", "token").build();
    Request request = new Request.Builder().url(url).header("X-CSRF-Token", "1")
        .header("Authorization", okhttp3.Credentials.basic(user, password, StandardCharsets.UTF_8)).get().build();
    try (Response r = http.newCall(request).execute()) {
      if (r.code() == 401) {
        throw new Failure(Failure.Kind.REFUSED, "the OAuth server refused user " + user
            + " (401: wrong user name or password, or no identity provider knows the user)", null);
      }
      String location = r.header("Location");
      if (r.code() != 302 || location == null || !location.contains("#")) {
        throw new Failure(Failure.Kind.PROTOCOL, "GET " + url.encodedPath() + " answered " + r.code()
            + " without a token redirect", null);
      }
      Map<String, String> fragment = fragment(location.substring(location.indexOf('#') + 1));
      String token = fragment.get("access_token");
      if (token == null || token.isBlank()) {
        throw new Failure(Failure.Kind.PROTOCOL, "the OAuth redirect carries no access_token"
            + Optional.ofNullable(fragment.get("error")).map(e -> " (error " + e + ")").orElse(""), null);
      }
      long expires;
      try {
        expires = Optional.ofNullable(fragment.get("expires_in")).map(Long::parseLong).orElse(0L);
      } catch (NumberFormatException e) {
        throw new Failure(Failure.Kind.PROTOCOL, "the OAuth redirect's expires_in is not a number", e);
      }
      return new Token(token, Duration.ofSeconds(expires));
    } catch (SSLPeerUnverifiedException e) {
      throw new Failure(Failure.Kind.CONNECTION, "the OAuth server " + url.host() + " presents a certificate for "
          + "another name: " + rootMessage(e), e);
    } catch (SSLException e) {
      throw new Failure(Failure.Kind.UNTRUSTED, "TLS with " + url.host() + " failed: " + rootMessage(e), e);
    } catch (Failure e) {
      throw e;
    } catch (IOException e) {
      throw new Failure(Failure.Kind.CONNECTION, "GET https://" + url.host() + url.encodedPath() + " failed ("
          + addresses.describe(url.host(), url.port()) + "): " + rootMessage(e), e);
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  private static Map<String, String> fragment(String f) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : f.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return String.valueOf(c.getMessage());
  }
}
