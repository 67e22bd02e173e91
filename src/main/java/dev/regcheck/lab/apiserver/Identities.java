package dev.regcheck.lab.apiserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Date;
import java.util.function.BiFunction;
import java.util.Map;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab's bearer tokens and whose they are: the seeded user's (written into the kubeconfig) and
 * the control plane's own, which the imitated controllers use. Tokens never leave this class
 * except to build a client or the kubeconfig.
 */
public final class Identities {
  /** The identity the imitated control-plane components act as. */
  public static final String CONTROL_PLANE_ACTOR = "system:lab:control-plane";
  public static final String ANONYMOUS = "system:anonymous";

  private final String userActor;
  private final String userToken;
  private final String controlPlaneToken;
  /** How long an OAuth access token lives (the OAuth server's default accessTokenMaxAgeSeconds). */
  public static final Duration TOKEN_LIFETIME = Duration.ofHours(24);

  /** Whose a token is, until when, and the name of its oauthaccesstokens object (null for the lab's own). */
  private record Grant(String user, Instant expires, String objectName) {}

  /** Where the OAuth server's tokens are recorded as {@code oauthaccesstokens.oauth.openshift.io} objects. */
  interface TokenObjects {
    void created(String name, String user, Instant created, Duration lifetime);
  }

  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
  private volatile TokenObjects tokenObjects = (name, user, created, lifetime) -> { };
  /** The user's password for the lab's OAuth server (as the installer's kubeadmin-password). */
  private final String userPassword;
  /** What the lab's front proxy (client-certificate authentication) proves itself with. */
  private final String frontProxySecret;

  public Identities(String user) {
    this(user, false);
  }

  /**
   * The seeded user's token is the one {@code oc login} gave it, valid for {@link #TOKEN_LIFETIME}
   * from now, or already expired (a workstation's kubeconfig a day old).
   */
  public Identities(String user, boolean userTokenExpired) {
    this.userActor = user;
    this.userToken = newToken();
    this.controlPlaneToken = newToken();
    this.userPassword = newSecret(15);
    this.frontProxySecret = newSecret(32);
    Instant now = Instant.now();
    grants.put(userToken, new Grant(user, userTokenExpired ? now.minusSeconds(60) : now.plus(TOKEN_LIFETIME),
        objectName(userToken)));
    grants.put(controlPlaneToken, new Grant(CONTROL_PLANE_ACTOR, Instant.MAX, null));
  }

  /** Records the OAuth tokens from now on, and the user's own (the one its kubeconfig holds) at once. */
  void recordTokensIn(TokenObjects objects) {
    this.tokenObjects = objects;
    Grant user = grants.get(userToken);
    if (user != null) {
      objects.created(user.objectName(), user.user(), user.expires().minus(TOKEN_LIFETIME), TOKEN_LIFETIME);
    }
  }

  /**
   * The name of a token's {@code oauthaccesstokens} object: {@code sha256~} and the unpadded
   * base64url SHA-256 of the token's own part, so the object never holds the token itself.
   */
  static String objectName(String token) {
    String secret = token.startsWith("sha256~") ? token.substring(7) : token;
    try {
      return "sha256~" + Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What deleting a token's object does (oc logout): the token is no longer accepted. */
  void revoked(String objectName) {
    grants.values().removeIf(g -> objectName.equals(g.objectName()));
  }

  /** Like the installer's kubeadmin password: letters and digits in groups of five. */
  private static String newSecret(int length) {
    String alphabet = "23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    SecureRandom random = new SecureRandom();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (i > 0 && i % 5 == 0) {
        out.append('-');
      }
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  public String userPassword() {
    return userPassword;
  }

  public String frontProxySecret() {
    return frontProxySecret;
  }

  /** Whether a password login (the OAuth server's Basic challenge) names the user and its password. */
  boolean passwordMatches(String user, String password) {
    return userActor.equals(user) && MessageDigest.isEqual(
        userPassword.getBytes(StandardCharsets.UTF_8),
        String.valueOf(password).getBytes(StandardCharsets.UTF_8));
  }

  /** A new OAuth access token for the user (the lab's API and registry accept it). */
  String issueToken(String user) {
    String token = newToken();
    Instant now = Instant.now();
    String name = objectName(token);
    grants.put(token, new Grant(user, now.plus(TOKEN_LIFETIME), name));
    tokenObjects.created(name, user, now, TOKEN_LIFETIME);
    return token;
  }

  /** An OpenShift-OAuth-shaped token ({@code sha256~} plus 43 url-safe characters). */
  private static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "sha256~" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public String userActor() {
    return userActor;
  }

  public String userToken() {
    return userToken;
  }

  public String controlPlaneToken() {
    return controlPlaneToken;
  }

  /** The actor for an {@code Authorization} header value, if it carries one of the lab's tokens. */
  Optional<String> actorFor(String authorizationHeader) {
    if (authorizationHeader == null) {
      return Optional.empty();
    }
    String value = authorizationHeader.trim();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return actorForToken(value.substring(7).trim());
  }

  /** The actor a bare token belongs to (what the registry's token endpoint gets as a password). */
  public Optional<String> actorForToken(String token) {
    Grant grant = grants.get(token);
    if (grant == null) {
      return serviceAccountOf(token);
    }
    return !Instant.now().isBefore(grant.expires()) ? Optional.empty() : Optional.of(grant.user());
  }

  /** The issuer (and audience) of the lab's service-account tokens, as a cluster's default. */
  static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";
  /** namespace, name → the service account's uid while it exists (the API's store). */
  private volatile BiFunction<String, String, Optional<String>> accounts = (ns, name) -> Optional.empty();

  /** Where a token's service account is looked up: a token outlives neither its account nor a re-made one. */
  void accountsFrom(BiFunction<String, String, Optional<String>> uidOf) {
    this.accounts = uidOf;
  }

  /** Signs the service-account tokens (made at the first TokenRequest: a lab that issues none pays nothing). */
  private ECKey serviceAccountKey;

  private synchronized ECKey serviceAccountKey() {
    if (serviceAccountKey == null) {
      try {
        serviceAccountKey = new ECKeyGenerator(Curve.P_256).keyID("lab-service-accounts").generate();
      } catch (JOSEException e) {
        throw new IllegalStateException("cannot make the service-account signing key", e);
      }
    }
    return serviceAccountKey;
  }

  /**
   * A TokenRequest's token (what the kubelet mounts into a pod, and {@code kubectl create token}
   * prints): a JWT naming {@code system:serviceaccount:<namespace>:<name>}, for the cluster's own
   * audience, valid {@code seconds} from now.
   */
  String serviceAccountToken(String namespace, String name, String uid, long seconds) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(SERVICE_ACCOUNT_ISSUER)
        .subject("system:serviceaccount:" + namespace + ":" + name).audience(SERVICE_ACCOUNT_ISSUER)
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(seconds)))
        .claim("kubernetes.io", Map.of("namespace", namespace, "serviceaccount", Map.of("name", name, "uid", uid)))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(serviceAccountKey().getKeyID()).build(),
        claims);
    try {
      jwt.sign(new ECDSASigner(serviceAccountKey()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a service-account token", e);
    }
    return jwt.serialize();
  }

  /** The service account a token of {@link #serviceAccountToken} names, while it is valid. */
  private Optional<String> serviceAccountOf(String token) {
    ECKey key;
    synchronized (this) {
      key = serviceAccountKey;
    }
    if (key == null || token == null || token.chars().filter(c -> c == '.').count() != 2) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date now = new Date();
      boolean valid = jwt.verify(new ECDSAVerifier(key.toECPublicKey()))
          && SERVICE_ACCOUNT_ISSUER.equals(claims.getIssuer())
          && claims.getAudience().contains(SERVICE_ACCOUNT_ISSUER)
          && claims.getExpirationTime() != null && now.before(claims.getExpirationTime())
          && (claims.getNotBeforeTime() == null || !now.before(claims.getNotBeforeTime()))
          && claims.getSubject() != null && claims.getSubject().startsWith("system:serviceaccount:");
      if (!valid) {
        return Optional.empty();
      }
      // bound to the account's uid, as a cluster's tokens are: deleted (or deleted and re-made) revokes it
      Map<String, Object> bound = claims.getJSONObjectClaim("kubernetes.io");
      Object account = bound == null ? null : bound.get("serviceaccount");
      if (!(account instanceof Map<?, ?> sa) || !(bound.get("namespace") instanceof String ns)) {
        return Optional.empty();
      }
      Optional<String> uid = accounts.apply(ns, String.valueOf(sa.get("name")));
      return uid.isPresent() && uid.get().equals(String.valueOf(sa.get("uid"))) ? Optional.of(claims.getSubject())
          : Optional.empty();
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }
}
