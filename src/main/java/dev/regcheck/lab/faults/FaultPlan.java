package dev.regcheck.lab.faults;

import dev.regcheck.lab.nfs.NfsServer;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What each part of the lab does differently for the chosen faults, asked by name ("does the
 * token service answer?") rather than by fault, so that the lab's start reads as the cluster it
 * builds and every fault's effect on a part is written once, here. Faults that only seed objects
 * a person created wrongly are {@link FaultSeed}'s and {@link CustomRouteSeed}'s.
 */
public final class FaultPlan {
  private final EnumSet<Fault> faults;

  private FaultPlan(Set<Fault> faults) {
    this.faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
  }

  public static FaultPlan of(Set<Fault> faults) {
    return new FaultPlan(faults);
  }

  /** A healthy lab. */
  public static FaultPlan none() {
    return new FaultPlan(Set.of());
  }

  /** The faults themselves, for the seeds. */
  public Set<Fault> faults() {
    return EnumSet.copyOf(faults);
  }

  private boolean has(Fault f) {
    return faults.contains(f);
  }

  /** root-ca-untrusted: the lab root CA is not among the workstation's trust anchors. */
  public boolean trustRootCa() {
    return !has(Fault.ROOT_CA_UNTRUSTED);
  }

  /** proxy-required: the workstation reaches the API and the routes only through an HTTP proxy. */
  public boolean proxyRequired() {
    return has(Fault.PROXY_REQUIRED);
  }

  /** ca-anchor-not-extracted: the root CA is in the anchors, but the bundle was not updated since. */
  public boolean rootCaExtracted() {
    return !has(Fault.CA_ANCHOR_NOT_EXTRACTED);
  }

  /** registry-down: the registry's token service refuses every login. */
  public boolean tokenServiceDown() {
    return has(Fault.REGISTRY_DOWN);
  }

  /** notifications-lost: pushes never become Images and tags. */
  public boolean recordPushes() {
    return !has(Fault.NOTIFICATIONS_LOST);
  }

  /** blob-corruption: a stored layer gets one flipped byte. */
  public boolean corruptBlobs() {
    return has(Fault.BLOB_CORRUPTION);
  }

  /** image-held: a scanner's finalizer on every Image. */
  public boolean holdImages() {
    return has(Fault.IMAGE_HELD);
  }

  /** How many registry containers start healthy before the others hang: none for registry-hung, one for replica-hung. */
  public int healthyRegistryContainers() {
    return has(Fault.REGISTRY_HUNG) ? 0 : has(Fault.REPLICA_HUNG) ? 1 : Integer.MAX_VALUE;
  }

  /** token-expired: the user's kubeconfig token expired before the harness runs. */
  public boolean userTokenExpired() {
    return has(Fault.TOKEN_EXPIRED);
  }

  /** evicted-registry-pod: the first rollout finds an earlier ReplicaSet whose pod was evicted. */
  public boolean evictedRegistryHistory() {
    return has(Fault.EVICTED_REGISTRY_POD);
  }

  /**
   * foreign-in-cluster-env: the workstation is a pod of another cluster (a CI runner on a
   * management cluster), whose API is 172.30.0.1:443 as every OpenShift cluster's own service is.
   */
  public Map<String, String> workstationEnvironment() {
    return has(Fault.FOREIGN_IN_CLUSTER_ENV)
        ? Map.of("KUBERNETES_SERVICE_HOST", "172.30.0.1", "KUBERNETES_SERVICE_PORT", "443",
            "KUBERNETES_PORT", "tcp://172.30.0.1:443")
        : Map.of();
  }

  /**
   * Profile settings the person's profile has (as {@code --set} values): port-forward-crashloop-first
   * reaches the registry by port-forward.
   */
  public Map<String, String> profileSettings() {
    return has(Fault.PORT_FORWARD_CRASHLOOP_FIRST) ? Map.of("registry.access", "port-forward") : Map.of();
  }

  /** export-readonly: read-only; nfs-secure-export: read-write from privileged source ports only. */
  public NfsServer.Access nfsAccess() {
    return has(Fault.EXPORT_READONLY) ? NfsServer.Access.RO
        : has(Fault.NFS_SECURE_EXPORT) ? NfsServer.Access.RW_SECURE : NfsServer.Access.RW;
  }

  /** registry-capability-disabled: no image-registry operator runs (its manifests were never applied). */
  public boolean runRegistryOperator() {
    return !has(Fault.REGISTRY_CAPABILITY_DISABLED);
  }

  /** registry-crashloop: the registry's TLS key is damaged, the process exits at start. */
  public boolean damageRegistryKey() {
    return has(Fault.REGISTRY_CRASHLOOP);
  }

  /** delete-noop: a deleted Image's manifest stays served. */
  public boolean deletionRemovesContent() {
    return !has(Fault.DELETE_NOOP);
  }

  /** ingress-ca-untrusted: the routers serve a certificate from a CA the cluster does not publish. */
  public boolean foreignRouterCertificate() {
    return has(Fault.INGRESS_CA_UNTRUSTED);
  }

  /** hostname-not-published: the operator's image-config controller is stuck. */
  public boolean publishHostname() {
    return !has(Fault.HOSTNAME_NOT_PUBLISHED);
  }

  /** operator-hotloop: the operator rewrites its status on every sync. */
  public boolean operatorHotLoop() {
    return has(Fault.OPERATOR_HOTLOOP);
  }

  /** ready-replicas-unreported: the operator leaves the config's status.readyReplicas at 0. */
  public boolean operatorReportsReadyReplicas() {
    return !has(Fault.READY_REPLICAS_UNREPORTED);
  }

  /** service-cert-wrong-san: the service CA mints the registry's certificate for OpenShift 3's name. */
  public boolean serviceCertWrongSan() {
    return has(Fault.SERVICE_CERT_WRONG_SAN);
  }

  /** endpoints-stale: kube-controller-manager's endpoints controller does not run. */
  public boolean endpointsController() {
    return !has(Fault.ENDPOINTS_STALE);
  }

  /** kubeconfig-wrong-ca: the kubeconfig carries another cluster's CA. */
  public boolean kubeconfigWrongCa() {
    return has(Fault.KUBECONFIG_WRONG_CA);
  }

  /** client-cert-only: the installer's kubeconfig, system:admin by client certificate through a front proxy. */
  public boolean clientCertificateKubeconfig() {
    return has(Fault.CLIENT_CERT_ONLY) || has(Fault.AUDIT_WITH_PASSWORD);
  }

  /** unmanaged-emptydir, unmanaged-route-edge: a registry seeded running; the lab waits for its rollout before the harness looks. */
  public boolean awaitSeededRollout() {
    return has(Fault.UNMANAGED_EMPTYDIR) || has(Fault.UNMANAGED_ROUTE_EDGE) || faults.stream().anyMatch(Fault::procedureDone);
  }

  /** The workstation already trusts the ingress CA: S10's trust step was done the day before. */
  public boolean ingressCaTrusted() {
    return has(Fault.TOKEN_EXPIRED) || faults.stream().anyMatch(Fault::procedureDone);
  }

  /** nfs-down: no NFS server runs. */
  public boolean runNfs() {
    return !has(Fault.NFS_DOWN);
  }

  /** export-missing: the lab directory is exported under its own path, not the profile's. */
  public boolean exportProfilePath() {
    return !has(Fault.EXPORT_MISSING);
  }

  /** The fault ids, for messages. */
  @Override
  public String toString() {
    return faults.stream().map(Fault::id).toList().toString();
  }
}
