package dev.regcheck.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Who the client is: nobody, or a user name and a secret. On OpenShift the user name is any
 * name without a colon and the secret is the user's bearer token ({@code oc whoami -t}).
 * {@link #toString()} never shows the secret.
 */
public final class Credentials {
  private static final Credentials ANONYMOUS = new Credentials(null, null);

  private final String user;
  private final String secret;

  private Credentials(String user, String secret) {
    this.user = user;
    this.secret = secret;
  }

  public static Credentials anonymous() {
    return ANONYMOUS;
  }

  public static Credentials basic(String user, String secret) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(secret, "secret");
    if (user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("the user name must be non-empty and without ':' (got \"" + user + "\")");
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the secret of user " + user + " is empty");
    }
    return new Credentials(user, secret);
  }

  public boolean isAnonymous() {
    return user == null;
  }

  /** The user name; empty when anonymous. */
  public String user() {
    return user == null ? "" : user;
  }

  /** The {@code Authorization} value {@code Basic base64(user:secret)}; never call it when anonymous. */
  String basicAuthorization() {
    if (isAnonymous()) {
      throw new IllegalStateException("anonymous credentials have no Basic authorization");
    }
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return isAnonymous() ? "Credentials[anonymous]" : "Credentials[user=" + user + ", secret=<redacted>]";
  }
}
