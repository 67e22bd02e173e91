package dev.regcheck.lab;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The lab's bearer tokens and whose they are: the seeded user's (written into the kubeconfig) and
 * the control plane's own, which the imitated controllers use. Tokens never leave this class
 * except to build a client or the kubeconfig.
 */
final class Identities {
  /** The identity the imitated control-plane components act as. */
  static final String CONTROL_PLANE_ACTOR = "system:lab:control-plane";
  static final String ANONYMOUS = "system:anonymous";

  private final String userActor;
  private final String userToken;
  private final String controlPlaneToken;
  private final Map<String, String> actorByToken;

  Identities(String user) {
    this.userActor = user;
    this.userToken = newToken();
    this.controlPlaneToken = newToken();
    this.actorByToken = Map.of(userToken, user, controlPlaneToken, CONTROL_PLANE_ACTOR);
  }

  /** An OpenShift-OAuth-shaped token ({@code sha256~} plus 43 url-safe characters). */
  private static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "sha256~" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  String userActor() {
    return userActor;
  }

  String userToken() {
    return userToken;
  }

  String controlPlaneToken() {
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
  Optional<String> actorForToken(String token) {
    return Optional.ofNullable(actorByToken.get(token));
  }
}
