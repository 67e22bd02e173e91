package dev.regcheck.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Which {@code Authorization} the registry wants, learned from its challenges, and the bearer
 * tokens fetched for it. The latest challenge wins: {@code Bearer} (fetch a token from the realm
 * with HTTP Basic of the credentials, cache it per realm, service and scope set until
 * {@code expires_in} minus a margin), {@code Basic} (send the credentials; the OpenShift registry
 * asks for that when a token is invalid or denied), or none ({@code /v2/} answered 200 anonymously).
 */
final class TokenAuth {
  /** Distribution's token spec: a token without {@code expires_in} lives 60 s. */
  private static final long DEFAULT_EXPIRES_IN = 60;
  private static final long MAX_MARGIN = 10;
  private static final int TOKEN_BODY_LIMIT = 1 << 20;

  private enum Mode { UNKNOWN, NONE, BEARER, BASIC }

  private record Token(String value, Instant reuseUntil) {}

  private final Transport transport;
  private final Credentials credentials;
  private final Clock clock;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private volatile Mode mode = Mode.UNKNOWN;
  private volatile String realm;
  private volatile String service;

  TokenAuth(Transport transport, Credentials credentials, Clock clock) {
    this.transport = transport;
    this.credentials = credentials;
    this.clock = clock;
  }

  boolean known() {
    return mode != Mode.UNKNOWN;
  }

  /** Learns the registry's scheme from an answer to an anonymous request ({@code GET /v2/}). */
  void learn(int status, List<Challenge> challenges) {
    if (status / 100 == 2) {
      mode = Mode.NONE;
      return;
    }
    for (Challenge c : challenges) {
      if (c.isBearer() && c.realm() != null) {
        useBearer(c);
        return;
      }
    }
    if (challenges.stream().anyMatch(Challenge::isBasic)) {
      mode = Mode.BASIC;
    }
  }

  private void useBearer(Challenge c) {
    realm = c.realm();
    service = c.service();
    mode = Mode.BEARER;
  }

  /** The {@code Authorization} to send up front for these scopes, or null; may fetch a token. */
  String authorization(Set<String> scopes) throws IOException {
    return switch (mode) {
      case BEARER -> "Bearer " + token(realm, service, new TreeSet<>(scopes), null);
      case BASIC -> credentials.isAnonymous() ? null : credentials.basicAuthorization();
      case UNKNOWN, NONE -> null;
    };
  }

  /**
   * The {@code Authorization} to retry a 401 with, or null when there is nothing better to send.
   * A bearer challenge's own scope is added to ours; a token that was just refused is not reused.
   */
  String answer(List<Challenge> challenges, Set<String> scopes, String refused) throws IOException {
    for (Challenge c : challenges) {
      if (c.isBearer() && c.realm() != null) {
        useBearer(c);
        SortedSet<String> wanted = new TreeSet<>(scopes);
        if (c.scope() != null && !c.scope().isBlank()) {
          wanted.addAll(List.of(c.scope().trim().split("\\s+")));
        }
        return "Bearer " + token(c.realm(), c.service(), wanted, refused);
      }
    }
    if (challenges.stream().anyMatch(Challenge::isBasic)) {
      mode = Mode.BASIC;
      if (!credentials.isAnonymous() && (refused == null || !refused.startsWith("Basic "))) {
        return credentials.basicAuthorization();
      }
    }
    return null;
  }

  /** A cached token for the key unless it expired or is the one just {@code refused}, else a new one. */
  private String token(String realm, String service, SortedSet<String> scopes, String refused) throws IOException {
    String key = realm + "\n" + service + "\n" + String.join(" ", scopes);
    Token cached = tokens.get(key);
    if (cached != null && clock.instant().isBefore(cached.reuseUntil()) && !("Bearer " + cached.value()).equals(refused)) {
      return cached.value();
    }
    Token fresh = fetch(realm, service, scopes);
    tokens.put(key, fresh);
    return fresh.value();
  }

  /** {@code GET <realm>?service=…&scope=…} with HTTP Basic of the credentials (none when anonymous). */
  private Token fetch(String realm, String service, SortedSet<String> scopes) throws IOException {
    HttpUrl base = HttpUrl.parse(realm);
    if (base == null || !base.isHttps()) {
      throw RegistryException.protocol("GET", realm, 401,
          "the token realm must be an https URL; this client does not send credentials elsewhere");
    }
    HttpUrl.Builder url = base.newBuilder();
    if (service != null) {
      url.addQueryParameter("service", service);
    }
    scopes.forEach(s -> url.addQueryParameter("scope", s));
    Request.Builder request = new Request.Builder().url(url.build()).get().header("Accept", "application/json");
    if (!credentials.isAnonymous()) {
      request.header("Authorization", credentials.basicAuthorization());
    }
    Instant asked = clock.instant();
    String target = base.newBuilder().query(null).build().toString();
    try (Response response = transport.send(request.build())) {
      if (response.code() == 401) {
        throw new RegistryException("GET", target, 401, "UNAUTHORIZED", Json.errors(response),
            "the token endpoint rejected the credentials " + (credentials.isAnonymous() ? "(anonymous)"
                : "of user " + credentials.user()) + " (realm " + realm + ")", null);
      }
      if (response.code() != 200) {
        throw RegistryException.http("GET", target, response.code(), response.message(), Json.errors(response),
            "(token endpoint, realm " + realm + ")");
      }
      JsonNode json = Json.read(response, TOKEN_BODY_LIMIT, "GET", target);
      String token = json.path("token").asText("");
      if (token.isEmpty()) {
        token = json.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw RegistryException.protocol("GET", target, 200, "the token endpoint answered without token or access_token");
      }
      long expiresIn = json.path("expires_in").asLong(DEFAULT_EXPIRES_IN);
      if (expiresIn <= 0) {
        expiresIn = DEFAULT_EXPIRES_IN;
      }
      long margin = Math.min(MAX_MARGIN, expiresIn / 2);
      return new Token(token, asked.plusSeconds(expiresIn - margin));
    }
  }
}
