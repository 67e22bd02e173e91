package dev.regcheck.lab.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.util.encoders.Base32;
import dev.regcheck.lab.apiserver.Identities;
import dev.regcheck.lab.apiserver.Rbac;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.Ports;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.core.LabHttps;
import dev.regcheck.lab.core.WellKnown;

/**
 * The registry's token endpoint, {@code /openshift/token}, with OpenShift's semantics on the
 * outside (any user name; the password is the user's bearer token, checked against the lab's
 * identities; no credentials = anonymous; 401 otherwise) and Distribution's token auth on the
 * inside: it answers with a JWT the lab's docker-registry verifies ({@code auth.token}), granting
 * for each requested scope only the actions the lab's RBAC allows (openshift-facts.md §6):
 *
 * <ul>
 *   <li>pull: {@code get imagestreams/layers} in the namespace;
 *   <li>push: {@code update imagestreams/layers}, and {@code create imagestreams} unless the image
 *       stream exists (the registry creates it on push);
 *   <li>delete: cluster-wide {@code delete images};
 *   <li>{@code registry:catalog:*}: cluster-wide {@code list imagestreams}.
 * </ul>
 *
 * <p>Difference from OpenShift: its registry takes the OpenShift token itself as the bearer and
 * asks the API server on every request; Distribution needs a signed token, so access is decided
 * here, when the token is issued (for 5 minutes), and the endpoint listens on its own port.
 */
public final class RegistryTokenServer implements AutoCloseable {
  public static final String ISSUER = "openshift-image-registry-lab";
  static final Duration LIFETIME = Duration.ofMinutes(5);
  private static final String IMAGE_GROUP = "image.openshift.io";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Identities identities;
  private final Rbac rbac;
  private final ImageStreams imageStreams;
  private final ServiceCa signer;
  private final String keyId;
  private final int port;
  private final HttpsServer server;

  /** Whether an image stream exists (push may create one only with {@code create imagestreams}). */
  public interface ImageStreams {
    boolean exists(String namespace, String name);
  }

  private RegistryTokenServer(Identities identities, Rbac rbac, ImageStreams imageStreams,
      ServiceCa signer, int port, HttpsServer server) {
    this.identities = identities;
    this.rbac = rbac;
    this.imageStreams = imageStreams;
    this.signer = signer;
    this.keyId = libtrustKeyId(signer.caCertificate());
    this.port = port;
    this.server = server;
  }

  /**
   * Serves on 127.0.0.1 with a certificate for the registry's service names; with {@code down}
   * nothing listens on the realm's port (the REGISTRY_DOWN fault: a port that was free when the
   * lab started, not held).
   */
  public static RegistryTokenServer start(Identities identities, Rbac rbac, ImageStreams imageStreams,
      ServiceCa.Serving serving, boolean down) throws LabException {
    ServiceCa signer = ServiceCa.create("image-registry-token-signer@" + Instant.now().getEpochSecond());
    if (down) {
      return new RegistryTokenServer(identities, rbac, imageStreams, signer, Ports.free(), null);
    }
    try {
      HttpsServer server = LabHttps.create("lab-registry-token", serving);
      RegistryTokenServer tokens = new RegistryTokenServer(identities, rbac, imageStreams, signer,
          server.getAddress().getPort(), server);
      server.createContext(WellKnown.REGISTRY_TOKEN_PATH, tokens::handle);
      server.start();
      return tokens;
    } catch (IOException | GeneralSecurityException e) {
      throw new LabException("the registry token server could not start: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  /** PEM of the certificate whose key signs the tokens: the registry's {@code rootcertbundle}. */
  public String signerCertificatePem() {
    return signer.caPem();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      respond(exchange);
    } catch (RuntimeException | JOSEException e) {
      reply(exchange, 500, Map.of("errors", List.of(Map.of("code", "UNKNOWN",
          "message", "token server error: " + e.getMessage()))));
    } finally {
      exchange.close();
    }
  }

  private void respond(HttpExchange exchange) throws IOException, JOSEException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      reply(exchange, 405, Map.of("errors", List.of(Map.of("code", "UNSUPPORTED",
          "message", "The operation is unsupported."))));
      return;
    }
    Optional<String> user = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
    if (user.isEmpty()) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=openshift");
      reply(exchange, 401, Map.of("errors", List.of(Map.of("code", "UNAUTHORIZED",
          "message", "authentication required"))));
      return;
    }
    Map<String, List<String>> query = LabHttps.query(exchange.getRequestURI());
    String service = LabHttps.first(query, "service").orElse(WellKnown.REGISTRY_SERVER_ADDR);
    List<Map<String, Object>> access = new ArrayList<>();
    for (String scope : query.getOrDefault("scope", List.of())) {
      grant(user.get(), scope).ifPresent(access::add);
    }
    Instant now = Instant.now();
    String token = sign(user.get(), service, access, now);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", token);
    body.put("access_token", token);
    body.put("expires_in", LIFETIME.toSeconds());
    body.put("issued_at", now.toString());
    reply(exchange, 200, body);
  }

  /** Basic credentials: any user name, the password is the token. None at all: anonymous. */
  private Optional<String> authenticate(String header) {
    if (header == null || header.isBlank()) {
      return Optional.of(Identities.ANONYMOUS);
    }
    String value = header.trim();
    if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0 || colon == decoded.length() - 1) {
      return Optional.empty(); // an empty password is an invalid token
    }
    return identities.actorForToken(decoded.substring(colon + 1));
  }

  /** The access entry for one scope: the allowed subset of the requested actions, if any. */
  private Optional<Map<String, Object>> grant(String user, String scope) {
    String[] parts = scope.split(":");
    if (parts.length < 3) {
      return Optional.empty();
    }
    String type = parts[0];
    String name = String.join(":", Arrays.copyOfRange(parts, 1, parts.length - 1));
    Set<String> wanted = new LinkedHashSet<>(Arrays.asList(parts[parts.length - 1].split(",")));
    List<String> allowed = new ArrayList<>();
    if ("registry".equals(type) && "catalog".equals(name)) {
      if (rbac.allowed(user, Rbac.Attributes.clusterWide("list", IMAGE_GROUP, "imagestreams"))) {
        allowed.add("*");
      }
    } else if ("repository".equals(type)) {
      String[] nsName = name.split("/");
      if (nsName.length != 2) {
        return Optional.empty(); // OpenShift repositories are exactly <namespace>/<name>
      }
      boolean all = wanted.contains("*");
      for (String action : List.of("pull", "push", "delete")) {
        if ((all || wanted.contains(action)) && allows(user, action, nsName[0], nsName[1])) {
          allowed.add(action);
        }
      }
      if (all && allowed.size() == 3) {
        allowed = List.of("*");
      }
    }
    if (allowed.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("type", type);
    entry.put("name", name);
    entry.put("actions", allowed);
    return Optional.of(entry);
  }

  private boolean allows(String user, String action, String namespace, String name) {
    return switch (action) {
      case "pull" -> rbac.allowed(user,
          new Rbac.Attributes("get", IMAGE_GROUP, "imagestreams/layers", namespace));
      case "push" -> rbac.allowed(user,
          new Rbac.Attributes("update", IMAGE_GROUP, "imagestreams/layers", namespace))
          && (imageStreams.exists(namespace, name) || rbac.allowed(user,
              new Rbac.Attributes("create", IMAGE_GROUP, "imagestreams", namespace)));
      case "delete" -> rbac.allowed(user, Rbac.Attributes.clusterWide("delete", IMAGE_GROUP, "images"));
      default -> false;
    };
  }

  private String sign(String user, String service, List<Map<String, Object>> access, Instant now)
      throws JOSEException {
    byte[] id = new byte[16];
    new SecureRandom().nextBytes(id);
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(user).audience(service)
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plus(LIFETIME))).jwtID(HexFormat.of().formatHex(id))
        .claim("access", access).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
    jwt.sign(new RSASSASigner(signer.privateKey()));
    return jwt.serialize();
  }

  /**
   * The libtrust key id Distribution matches a token's {@code kid} against: base32 of the first
   * 240 bits of SHA-256 over the DER SubjectPublicKeyInfo, in 12 groups of 4 joined by ':'.
   */
  static String libtrustKeyId(X509Certificate certificate) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      String b32 = Base32.toBase32String(Arrays.copyOf(hash, 30)).replace("=", "");
      StringBuilder id = new StringBuilder();
      for (int i = 0; i < b32.length(); i += 4) {
        if (i > 0) {
          id.append(':');
        }
        id.append(b32, i, Math.min(i + 4, b32.length()));
      }
      return id.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }


  private static void reply(HttpExchange exchange, int code, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      LabHttps.stop(server);
    }
  }
}
