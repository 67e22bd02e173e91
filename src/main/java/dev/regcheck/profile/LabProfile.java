package dev.regcheck.profile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    Timeouts timeouts,
    Apply apply,
    String lang,
    Path source) {

  /** How to reach the cluster; kubeconfig conventions unless the profile says otherwise. */
  public record Cluster(
      String apiUrl,
      Path kubeconfig,
      String context,
      String appsDomain,
      List<String> nodes) {}

  /** Who the harness acts as. Secrets are references. */
  public record Identity(String user, SecretRef token, SecretRef password) {}

  /** The NFS export on the content host (S02). */
  public record Nfs(String server, String path) {}

  /** The PersistentVolume, the claim and which claim the registry uses (S03–S05). */
  public record Storage(
      String pvName,
      String capacity,
      String pvcName,
      String request,
      String claim) {}

  /** The registry operator's names. */
  public record Registry(String namespace, String config, String deployment, String podSelector) {}

  /** Every wait is bounded by these. */
  public record Timeouts(Duration settle, Duration poll, Duration request, Duration hotLoopWindow) {}

  /** Apply mode against a real cluster needs explicit consent. */
  public record Apply(boolean consent) {}

  public LabProfile {
    Objects.requireNonNull(name, "name");
  }

  public LabProfile withSource(Path file) {
    return new LabProfile(name, description, embedded, cluster, identity, nfs, storage, registry, timeouts, apply, lang, file);
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
        Map.entry("podSelector", registry.podSelector()));
  }
}
