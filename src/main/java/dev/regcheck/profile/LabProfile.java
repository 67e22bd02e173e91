package dev.regcheck.profile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.time.LocalDate;

/**
 * One lab, typed. Built from plain data by {@link ProfileLoader}; every value the checks compare
 * against (names, sizes, addresses) comes from here, never from code.
 */
public record LabProfile(
    String name,
    String description,
    boolean embedded,
    Cluster cluster,
    Identity identity,
    Nfs nfs,
    Storage storage,
    Registry registry,
    TestImage testImage,
    Exposure exposure,
    Timeouts timeouts,
    Apply apply,
    List<KnownIssue> knownIssues,
    String lang,
    Path source) {

  /**
   * How to reach the cluster; kubeconfig conventions unless the profile says otherwise.
   * {@code hosts} maps {@code host[:port]} to {@code address[:port]} for labs without DNS.
   */
  public record Cluster(
      String apiUrl,
      Path kubeconfig,
      String context,
      String appsDomain,
      List<String> nodes,
      Map<String, String> hosts) {}

  /**
   * Who the harness acts as. Secrets are references. {@code token} overrides the kubeconfig's
   * (what {@code oc whoami -t} prints); {@code unprivilegedToken} optionally names an identity
   * without pull rights for S08.9.
   */
  public record Identity(String user, SecretRef token, SecretRef password, SecretRef unprivilegedToken) {}

  /** The NFS export on the content host (S02). */
  public record Nfs(String server, String path) {}

  /** The PersistentVolume, the claim and which claim the registry uses (S03–S05). */
  public record Storage(
      String pvName,
      String capacity,
      String pvcName,
      String request,
      String claim) {}

  /**
   * The registry operator's names, and how the harness reaches the registry's service:
   * {@code auto} (the address map, else the service's endpoints when the lab is embedded, else
   * the service name inside a cluster, else a port-forward through the API server), or one of
   * {@code endpoints}, {@code service}, {@code port-forward}.
   */
  public record Registry(String namespace, String config, String deployment, String podSelector,
      String service, String access) {

    /** {@code <service>.<namespace>.svc:5000}: the internal registry hostname. */
    public String internalHostname() {
      return service + "." + namespace + ".svc:5000";
    }
  }

  /**
   * The test image pushed and pulled in S08/S09: built in-process unless {@code source} names an
   * image to copy; {@code tag} null means a tag of the run's own ({@code regcheck-<run id>}).
   */
  public record TestImage(String repository, String tag, String source, String format) {}

  /**
   * How the registry is exposed outside the cluster (S10–S12). {@code routes} says which of the
   * document's alternatives the lab uses: {@code default} (S10), {@code custom} (S11), {@code both}
   * or {@code none}; the other's checks SKIP with that reason. What this workstation trusts is
   * what podman and oc read: {@code trustBundle}, the system bundle extracted from the anchors
   * ({@code /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem} after {@code update-ca-trust},
   * {@code /etc/ssl/certs/ca-certificates.crt} after {@code update-ca-certificates}), and for
   * podman also {@code registryCerts}{@code /<host[:port]>/*.crt}. {@code trustAnchors} is the
   * anchors directory (the document's {@code /etc/pki/ca-trust/source/anchors}), where S10's
   * apply puts the ingress CA before running {@code trustUpdate}; a CA only there is not trusted yet.
   */
  public record Exposure(String routes, CustomRoute route, Certificate certificate, Path trustAnchors,
      Path trustBundle, Path registryCerts, String trustUpdate) {

    public boolean usesDefaultRoute() {
      return routes.equals("default") || routes.equals("both");
    }

    public boolean usesCustomRoute() {
      return routes.equals("custom") || routes.equals("both");
    }
  }

  /** The {@code spec.routes} entry of S11: {@code {name, hostname, secretName}}. */
  public record CustomRoute(String name, String hostname, String secret) {}

  /**
   * The custom route's certificate as the document makes it: CSR subject (openssl {@code -subj}
   * form), key size, validity; the lab root CA that signs it ({@code rootKey} only needed to
   * apply), and the directory apply writes {@code registry.key} (0600), {@code .csr}, {@code .crt} to.
   */
  public record Certificate(String subject, int keyBits, int days, Path rootCa, SecretRef rootKey, Path dir) {}

  /** Every wait is bounded by these. */
  public record Timeouts(Duration settle, Duration poll, Duration request, Duration hotLoopWindow) {}

  /** Apply mode against a real cluster needs explicit consent. */
  public record Apply(boolean consent) {}

  /**
   * A failure the lab's owner knows about: until (and including) {@code until}, a FAIL of
   * {@code check} is reported as WARN with the reason, in every report; afterwards it FAILs again.
   */
  public record KnownIssue(String check, String reason, LocalDate until) {
    public boolean activeOn(LocalDate day) {
      return !day.isAfter(until);
    }
  }

  /** The known issue for a check, if the lab's owner recorded one. */
  public Optional<KnownIssue> knownIssue(String checkId) {
    return knownIssues.stream().filter(k -> k.check().equals(checkId)).findFirst();
  }

  public LabProfile {
    Objects.requireNonNull(name, "name");
  }

  public LabProfile withSource(Path file) {
    return new LabProfile(name, description, embedded, cluster, identity, nfs, storage, registry,
        testImage, exposure, timeouts, apply, knownIssues, lang, file);
  }

  /** Values the remediation templates of the catalog are filled with. */
  public Map<String, String> templateValues() {
    return Map.ofEntries(
        Map.entry("apiUrl", Optional.ofNullable(cluster.apiUrl()).orElse("<api url>")),
        Map.entry("user", Optional.ofNullable(identity.user()).orElse("<user>")),
        Map.entry("appsDomain", Optional.ofNullable(cluster.appsDomain()).orElse("<apps domain>")),
        Map.entry("node", cluster.nodes().isEmpty() ? "<node>" : cluster.nodes().get(0)),
        Map.entry("nfsServer", nfs.server()),
        Map.entry("nfsPath", nfs.path()),
        Map.entry("pvName", storage.pvName()),
        Map.entry("capacity", storage.capacity()),
        Map.entry("pvcName", storage.pvcName()),
        Map.entry("request", storage.request()),
        Map.entry("claim", storage.claim()),
        Map.entry("namespace", registry.namespace()),
        Map.entry("config", registry.config()),
        Map.entry("deployment", registry.deployment()),
        Map.entry("podSelector", registry.podSelector()),
        Map.entry("service", registry.service()),
        Map.entry("registryHost", registry.internalHostname()),
        Map.entry("defaultRouteHost", "default-route-" + registry.namespace() + "."
            + Optional.ofNullable(cluster.appsDomain()).orElse("<apps domain>")),
        Map.entry("routeName", exposure.route().name()),
        Map.entry("routeHost", Optional.ofNullable(exposure.route().hostname()).orElse("registry.<apps domain>")),
        Map.entry("routeSecret", exposure.route().secret()),
        Map.entry("certSubject", exposure.certificate().subject()),
        Map.entry("certDays", String.valueOf(exposure.certificate().days())),
        Map.entry("certBits", String.valueOf(exposure.certificate().keyBits())),
        Map.entry("rootCa", exposure.certificate().rootCa() == null ? "root.crt" : exposure.certificate().rootCa().toString()),
        Map.entry("trustAnchors", exposure.trustAnchors().toString()),
        Map.entry("trustUpdate", exposure.trustUpdate()),
        Map.entry("repository", testImage.repository()),
        Map.entry("imageNamespace", testImage.repository().split("/")[0]),
        Map.entry("tag", testImage.tag() == null ? "<tag>" : testImage.tag()));
  }
}
