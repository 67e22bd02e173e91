package dev.regcheck.client;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpResponse;
import dev.regcheck.snapshot.Recording;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import dev.regcheck.profile.SecretRef;
import dev.regcheck.result.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.net.URI;
import java.util.Map;
import dev.regcheck.tls.HttpsProxy;

/**
 * Connects to a cluster the way {@code oc} does: the profile's kubeconfig and context, else
 * {@code KUBECONFIG} / {@code ~/.kube/config} and its current context.
 */
public final class ClusterClients {

  public static final String USER_AGENT = "regcheck/0.1";
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  private ClusterClients() {}

  /**
   * A client for the profile's cluster. With {@code readOnly}, any write is refused inside the
   * harness before it leaves the machine (audit mode), as a second guard beside the checks' own
   * discipline.
   */
  public static OpenShiftClient connect(LabProfile profile, boolean readOnly) {
    return connect(profile, readOnly, System.getenv());
  }

  /** As {@link #connect(LabProfile, boolean)}, with the proxy variables of {@code env} (HTTPS_PROXY, NO_PROXY) as oc takes them. */
  public static OpenShiftClient connect(LabProfile profile, boolean readOnly, Map<String, String> env) {
    return connect(profile, readOnly, env, null);
  }

  /** As {@link #connect(LabProfile, boolean, Map)}; every object the client reads goes into {@code recording} too (if not null). */
  public static OpenShiftClient connect(LabProfile profile, boolean readOnly, Map<String, String> env,
      Recording recording) {
    Config config = config(profile);
    HttpsProxy proxy;
    try {
      proxy = HttpsProxy.fromEnvironment(env).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new ProfileException("environment", "HTTPS_PROXY", e.getMessage());
    }
    // the client talks to one server: whether the proxy applies to it is decided here, by Go's rules
    // (fabric8's own NO_PROXY matching resolves names, which a workstation behind a proxy cannot)
    URI api = URI.create(config.getMasterUrl());
    int apiPort = api.getPort() > 0 ? api.getPort() : 443;
    config.setHttpProxy(null);
    config.setNoProxy(null);
    if (proxy != null && api.getHost() != null && proxy.appliesTo(api.getHost(), apiPort)) {
      config.setHttpsProxy(proxy.describe());
      proxy.credentials().ifPresent(c -> {
        config.setProxyUsername(c.substring(0, Math.max(0, c.indexOf(':'))));
        config.setProxyPassword(c.substring(c.indexOf(':') + 1));
      });
    } else {
      config.setHttpsProxy(null);
    }
    config.setUserAgent(USER_AGENT);
    config.setRequestTimeout((int) profile.timeouts().request().toMillis());
    config.setConnectionTimeout((int) profile.timeouts().request().toMillis());
    config.setRequestRetryBackoffLimit(1);
    return build(config, readOnly, recording);
  }

  private static OpenShiftClient build(Config config, boolean readOnly, Recording recording) {
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
    builder.withHttpClientBuilderConsumer(b -> {
      if (readOnly) {
        b.addOrReplaceInterceptor("regcheck-audit", new ReadOnly());
      }
      if (recording != null) {
        b.addOrReplaceInterceptor("regcheck-record", new Tap(recording));
      }
    });
    return builder.build().adapt(OpenShiftClient.class);
  }

  /** The proxy a client of {@link #connect} reaches its API server through, if any (for probes of that server). */
  public static Optional<HttpsProxy> proxyOf(Config config) {
    if (config.getHttpsProxy() == null || config.getHttpsProxy().isBlank()) {
      return Optional.empty();
    }
    Map<String, String> env = new java.util.HashMap<>();
    String user = config.getProxyUsername();
    String url = config.getHttpsProxy();
    if (user != null && !user.isEmpty()) {
      url = url.replaceFirst("://", "://" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8)
          + ":" + java.net.URLEncoder.encode(String.valueOf(config.getProxyPassword()), java.nio.charset.StandardCharsets.UTF_8) + "@");
    }
    env.put("HTTPS_PROXY", url);
    return HttpsProxy.fromEnvironment(env);
  }

  /** Why the API server refuses this client's credentials (401 on {@code /version}), if it does. */
  public static Optional<String> refusal(OpenShiftClient client) {
    try {
      client.getKubernetesVersion();
      return Optional.empty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401) {
        return Optional.of("the API server refused the kubeconfig's credentials (401 Unauthorized): the session has "
            + "expired or was logged out (oc: error: You must be logged in to the server (Unauthorized))");
      }
      return Optional.empty();
    }
  }

  /** A client like {@code base} (server, trust, timeouts) authenticating with {@code token} instead. */
  public static OpenShiftClient withToken(LabProfile profile, boolean readOnly, Config base, String token) {
    return withToken(profile, readOnly, base, token, null);
  }

  /** As {@link #withToken(LabProfile, boolean, Config, String)}, recording what it reads (if {@code recording} is not null). */
  public static OpenShiftClient withToken(LabProfile profile, boolean readOnly, Config base, String token,
      Recording recording) {
    Config config = new ConfigBuilder(base).withOauthToken(token).withAutoOAuthToken(null).withUsername(null)
        .withPassword(null).withClientCertData(null).withClientCertFile(null).withClientKeyData(null)
        .withClientKeyFile(null).build();
    config.setUserAgent(USER_AGENT);
    return build(config, readOnly, recording);
  }

  /**
   * {@code oc logout}: deletes the token's {@code oauthaccesstokens} object (named {@code sha256~}
   * and the base64url SHA-256 of the token's part after {@code sha256~}). Empty when done.
   */
  public static Optional<String> revoke(OpenShiftClient client, String token) {
    try {
      client.oAuthAccessTokens().withName(OAuthLogin.objectName(token)).delete();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  public static Config config(LabProfile profile) {
    Path kubeconfig = profile.cluster().kubeconfig();
    String context = profile.cluster().context();
    if (kubeconfig == null) {
      Config c = Config.autoConfigure(context);
      return apiOverride(profile, c);
    }
    if (!Files.isRegularFile(kubeconfig)) {
      throw new ProfileException(String.valueOf(profile.source()), "cluster.kubeconfig", "file " + kubeconfig
          + " does not exist" + (profile.embedded() ? "; start the embedded lab first: ./regcheck lab up"
              : "; log in to the cluster first (oc login <api url> writes ~/.kube/config) and point cluster.kubeconfig"
                  + " at that file, or leave it out to use KUBECONFIG"));
    }
    try {
      return apiOverride(profile, Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString()));
    } catch (IOException e) {
      throw new ProfileException(String.valueOf(profile.source()), "cluster.kubeconfig",
          "cannot read " + kubeconfig + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ProfileException(String.valueOf(profile.source()), "cluster.kubeconfig",
          kubeconfig + " is not a usable kubeconfig" + (context == null ? "" : " for context '" + context + "'")
              + ": " + e.getMessage());
    }
  }

  private static Config apiOverride(LabProfile profile, Config c) {
    if (profile.cluster().apiUrl() != null && !profile.embedded() && profile.cluster().kubeconfig() == null) {
      c.setMasterUrl(profile.cluster().apiUrl());
    }
    return c;
  }

  /**
   * The run's redactor: it knows the secrets this run resolved (the kubeconfig's token and
   * password, the profile's token and password) by value, besides every secret shape.
   */
  public static Redactor redactorFor(LabProfile profile, OpenShiftClient client) {
    List<String> secrets = new ArrayList<>();
    Optional.ofNullable(client.getConfiguration().getOauthToken()).ifPresent(secrets::add);
    Optional.ofNullable(client.getConfiguration().getAutoOAuthToken()).ifPresent(secrets::add);
    Optional.ofNullable(client.getConfiguration().getPassword()).ifPresent(secrets::add);
    Optional.ofNullable(client.getConfiguration().getClientKeyData()).ifPresent(secrets::add);
    Optional.ofNullable(client.getConfiguration().getProxyPassword()).ifPresent(secrets::add);
    for (var ref : new SecretRef[] {profile.identity().token(),
        profile.identity().password(), profile.identity().unprivilegedToken(),
        profile.exposure().certificate().rootKey()}) {
      if (ref != null) {
        ref.resolve(System.getenv()).ifPresent(secrets::add);
      }
    }
    return Redactor.withSecrets(secrets);
  }

  /** Refuses every non-read request: audit mode writes nothing. */
  static final class ReadOnly implements Interceptor {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
      if (!READS.contains(request.method())) {
        throw new AuditViolation(request.method() + " " + request.uri().getPath());
      }
    }
  }

  /**
   * Gives a {@link Recording} what the client reads: the body of each GET it wants (kept aside as
   * it streams to the client), with the status code, once the body has ended; and each DELETE that
   * succeeded.
   */
  static final class Tap implements Interceptor {
    private final Recording recording;

    Tap(Recording recording) {
      this.recording = recording;
    }

    @Override
    public AsyncBody.Consumer<List<ByteBuffer>> consumer(AsyncBody.Consumer<List<ByteBuffer>> next, HttpRequest request) {
      return recording.wants(request.method(), request.uri()) ? new Copy(next) : next;
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
      if ("DELETE".equals(request.method()) && response.isSuccessful()) {
        recording.deleted(request.uri());
      }
      Copy copy = consumer == null ? null : consumer.unwrap(Copy.class);
      if (copy != null && response.body() instanceof AsyncBody body) {
        body.done().whenComplete((done, failed) -> {
          if (failed == null) {
            recording.read(request.uri(), response.code(), copy.bytes());
          }
        });
      }
    }
  }

  /** A body consumer that keeps a copy of what passes through it. */
  static final class Copy implements AsyncBody.Consumer<List<ByteBuffer>> {
    private final AsyncBody.Consumer<List<ByteBuffer>> next;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    Copy(AsyncBody.Consumer<List<ByteBuffer>> next) {
      this.next = next;
    }

    @Override
    public void consume(List<ByteBuffer> buffers, AsyncBody body) throws Exception {
      synchronized (copy) {
        for (ByteBuffer buffer : buffers) {
          ByteBuffer view = buffer.duplicate();
          byte[] bytes = new byte[view.remaining()];
          view.get(bytes);
          copy.write(bytes, 0, bytes.length);
        }
      }
      next.consume(buffers, body);
    }

    byte[] bytes() {
      synchronized (copy) {
        return copy.toByteArray();
      }
    }

    @Override
    public <U> U unwrap(Class<U> type) {
      return type.isInstance(this) ? type.cast(this) : next.unwrap(type);
    }
  }

  /** A write was attempted in audit mode: a harness bug, reported as ERROR. */
  public static final class AuditViolation extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    AuditViolation(String what) {
      super("audit mode refused a write: " + what);
    }
  }
}
