package dev.regcheck.lab.apiserver;

import java.security.SecureRandom;
import java.util.Base64;
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
  private final Map<String, String> actorByToken = new ConcurrentHashMap<>();
  /** The user's password for the lab's OAuth server (as the installer's kubeadmin-password). */
  private final String userPassword;
  /** What the lab's front proxy (client-certificate authentication) proves itself with. */
  private final String frontProxySecret;

  public Identities(String user) {
    this.userActor = user;
    this.userToken = newToken();
    this.controlPlaneToken = newToken();
    this.userPassword = newSecret(15);
    this.frontProxySecret = newSecret(32);
    actorByToken.put(userToken, user);
    actorByToken.put(controlPlaneToken, CONTROL_PLANE_ACTOR);
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
    actorByToken.put(token, user);
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
    return Optional.ofNullable(actorByToken.get(token));
  }
}
