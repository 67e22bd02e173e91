package dev.regcheck.lab.faults;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * A mistake a real lab made, reproduced by the embedded lab. Some are steps the person skipped
 * ({@link #skippedSteps()}), the others are wrong objects seeded before the harness runs.
 */
public enum Fault {
  REMOVED("removed",
      "The registry was left in the Removed state the bare-metal installer gives it.", Set.of("S01")),
  STORAGE_NOT_CONFIGURED("storage-not-configured",
      "The registry was switched to Managed but no storage backend was ever configured.",
      Set.of("S05", "S07")),
  PV_RWO("pv-rwo",
      "The PersistentVolume was created with ReadWriteOnce instead of ReadWriteMany.", Set.of()),
  PV_WRONG_SERVER("pv-wrong-server",
      "The PersistentVolume points at the wrong NFS server, so the registry pod cannot mount it.",
      Set.of()),
  PVC_DEFAULT_CLASS("pvc-default-class",
      "The claim was created without storageClassName while a default StorageClass exists, so it never binds the NFS volume.",
      Set.of()),
  CLAIM_MISSING("claim-missing",
      "The registry storage names a PersistentVolumeClaim that was never created.", Set.of("S04")),
  CLAIM_BOUND_ELSEWHERE("claim-bound-elsewhere",
      "The claim was created while an older volume (registry-old) existed, and bound to it: the procedure's PersistentVolume stays Available and can never bind.",
      Set.of("S04")),
  REGISTRY_CRASHLOOP("registry-crashloop",
      "The registry's serving certificate secret is damaged, so the registry process exits at start and crash-loops.",
      Set.of()),
  REGISTRY_HUNG("registry-hung",
      "The registry hangs as soon as it listens, as on a hard NFS mount whose server stopped answering: its pods are Running but never Ready.",
      Set.of()),
  REPLICA_HUNG("replica-hung",
      "The registry runs two replicas and one of them hangs as soon as it listens: one pod is Running but not Ready, the other serves.",
      Set.of()),
  PV_RELEASED("pv-released",
      "The registry was once set to Removed with Managed storage, so the operator deleted the claim and the Retain PV was left Released, reserved for that deleted claim.",
      Set.of()),
  STORAGE_TWO_TYPES("storage-two-types",
      "The registry had an emptyDir for storage and S05 was done with the merge patch alone, which adds pvc and leaves emptyDir: two storage types, which the operator refuses.",
      Set.of("S05")),
  STORAGE_UNMANAGED("storage-unmanaged",
      "The storage management state was never set to Managed, so the operator defaulted it to Unmanaged for the named claim.",
      Set.of("S07")),
  OPERATOR_HOTLOOP("operator-hotloop",
      "The registry operator rewrites the config's status on every sync although nothing changed (it stamps each condition's lastTransitionTime with the sync time).",
      Set.of()),
  UNMANAGED_EMPTYDIR("unmanaged-emptydir",
      "The registry was set to Unmanaged and its deployment edited to use an emptyDir for registry-storage, so images are lost whenever the pod is replaced.",
      Set.of("S01")),
  UNMANAGED_ROUTE_EDGE("unmanaged-route-edge",
      "After the procedure the registry was set to Unmanaged and its default route edited by hand to edge termination, so the router speaks plain HTTP to the registry's TLS port.",
      Set.of("S01")),
  NO_BUILDER_ROLE("no-builder-role",
      "The user may read the registry but was never given system:image-builder, so pushing is denied.",
      Set.of()),
  CATALOG_FORBIDDEN("catalog-forbidden",
      "The user is a builder in the test project only, without cluster-wide list imagestreams, so the catalog (podman search) is refused.",
      Set.of()),
  ANONYMOUS_PUSH("anonymous-push",
      "system:image-builder was bound to system:unauthenticated in the test project, so anyone may push without logging in.",
      Set.of()),
  NOTIFICATIONS_LOST("notifications-lost",
      "The registry stores pushed images but never records them in the API (no Image, no image stream tag).",
      Set.of()),
  DELETE_NOOP("delete-noop",
      "The registry keeps serving an image after its Image object was deleted.",
      Set.of()),
  REGISTRY_DOWN("registry-down",
      "The registry's token service (its authentication back end) is down: the registry answers, but no login succeeds.",
      Set.of()),
  HOSTNAME_NOT_PUBLISHED("hostname-not-published",
      "The image config never got the registry's internal hostname (the operator's image-config controller is stuck), so builds and image streams cannot name the registry.",
      Set.of()),
  BLOB_CORRUPTION("blob-corruption",
      "The registry's storage damages what it stores: a pushed layer comes back with a flipped byte.",
      Set.of()),
  IMAGE_HELD("image-held",
      "Another controller (an image scanner) puts a finalizer on every Image and never removes it, so a deleted Image never goes.",
      Set.of()),
  SERVICE_CERT_WRONG_SAN("service-cert-wrong-san",
      "The registry serves a certificate minted for another name (docker-registry.default.svc, the OpenShift 3 service), so no client can verify the service.",
      Set.of()),
  NFS_DOWN("nfs-down",
      "The NFS server on the content host is not running (nfs-server never enabled), so nothing answers on the portmapper.",
      Set.of()),
  EXPORT_MISSING("export-missing",
      "The NFS server runs but the registry's path was never added to /etc/exports; another directory is exported.",
      Set.of()),
  EXPORT_READONLY("export-readonly",
      "The path is exported read-only (ro instead of the document's rw), so nothing can write to it.",
      Set.of()),
  PV_WRONG_PATH("pv-wrong-path",
      "The PersistentVolume names a path the NFS server does not export, so it binds but the pod cannot mount it.",
      Set.of()),
  ENDPOINTS_STALE("endpoints-stale",
      "kube-controller-manager is degraded (its certificates expired while the lab was powered off), so the registry's service never gets endpoints: the pods run and are Ready, but nothing behind the service answers.",
      Set.of()),
  DEFAULT_ROUTE_OFF("default-route-off",
      "The default route was never turned on (spec.defaultRoute stays false), so the registry has no default-route host.",
      Set.of("S10")),
  INGRESS_CA_UNTRUSTED("ingress-ca-untrusted",
      "The routes are served with a wildcard certificate from another CA (an external load balancer terminating TLS with its own certificate), so the published default-ingress-cert does not verify what clients are served.",
      Set.of()),
  SAN_MISMATCH("san-mismatch",
      "The custom route's certificate was made with subjectAltName DNS:registry.<cluster domain> (the apps. label left out), so it does not cover the route host.",
      Set.of("S11")),
  CERT_EXPIRED("cert-expired",
      "The custom route's certificate was made with too short a validity and has expired.",
      Set.of("S11")),
  WRONG_ROOT("wrong-root",
      "The custom route's certificate was signed by an old lab root CA, not the one the workstations trust.",
      Set.of("S11")),
  KEY_MISMATCH("key-mismatch",
      "The registry secret was created with the key of another certificate (a second openssl genrsa run), so tls.key does not match tls.crt and the router rejects the route.",
      Set.of("S11")),
  ROUTE_NAMED_DEFAULT_ROUTE("route-named-default-route",
      "The spec.routes entry was named default-route, the operator's own route name, so the operator rejects the config (VerificationFailed).",
      Set.of("S11")),
  ROOT_CA_UNTRUSTED("root-ca-untrusted",
      "The lab root CA signed the custom route's certificate but was never added to this workstation's trust anchors, so podman login to the custom route fails with x509.",
      Set.of()),
  KUBECONFIG_WRONG_CA("kubeconfig-wrong-ca",
      "The kubeconfig in use is not the installer's: its certificate-authority-data is another cluster's CA, so oc fails with x509: certificate signed by unknown authority.",
      Set.of()),
  TOKEN_EXPIRED("token-expired",
      "The kubeconfig's token is a day old: the OAuth server's 24 h have passed and the API answers 401 Unauthorized (oc: You must be logged in to the server).",
      Set.of()),
  CLIENT_CERT_ONLY("client-cert-only",
      "The kubeconfig in use is the installer's auth/kubeconfig: system:admin by client certificate, no token, so oc whoami -t fails with no token is currently in use for this session.",
      Set.of()),
  REGISTRY_CAPABILITY_DISABLED("registry-capability-disabled",
      "The cluster was installed with baselineCapabilitySet None and without the ImageRegistry capability (4.14+): no registry config, no image-registry cluster operator, no openshift-image-registry namespace.",
      Set.of()),
  EVICTED_REGISTRY_POD("evicted-registry-pod",
      "An earlier rollout's registry pod was evicted (node low on ephemeral storage) and is still listed as Failed/Evicted, beside its ReplicaSet scaled to zero; the current ReplicaSet's pod is healthy.",
      Set.of()),
  RESTRICTED_AUDITOR("restricted-auditor",
      "The procedure was done the day before; the kubeconfig's user is an auditor who may read the registry's config and objects but not secrets, events or pods/log (run it with --mode audit).",
      Set.of()),
  AUDIT_WITH_PASSWORD("audit-with-password",
      "The procedure was done the day before; the kubeconfig is the installer's (client certificate, no token) and the profile gives a password: an audit must not log in, since a login writes a token object (run it with --mode audit).",
      Set.of()),
  FOREIGN_IN_CLUSTER_ENV("foreign-in-cluster-env",
      "regcheck runs in a pod of another cluster (a CI runner on a management cluster): KUBERNETES_SERVICE_HOST names that cluster's API, while the profile's kubeconfig names this one.",
      Set.of()),
  NFS_SECURE_EXPORT("nfs-secure-export",
      "The export accepts requests from privileged source ports only (ganesha PrivilegedPort = true; the kernel server's default, secure), as a root kubelet's mounts come from.",
      Set.of()),
  CA_ANCHOR_NOT_EXTRACTED("ca-anchor-not-extracted",
      "The procedure was done the day before (the ingress CA trusted with update-ca-trust); the lab root CA was copied into the anchors directory afterwards, but the system bundle was never regenerated (run it with --mode audit).",
      Set.of()),
  PROXY_REQUIRED("proxy-required",
      "The workstation reaches the API server and the routes only through the site's HTTP proxy (HTTPS_PROXY and NO_PROXY set as for oc): no DNS for the cluster's names, and the API and the router accept the proxy's connections only.",
      Set.of()),
  PORT_FORWARD_CRASHLOOP_FIRST("port-forward-crashloop-first",
      "The workstation reaches the registry by port-forward (registry.access: port-forward); beside the Deployment's pod, a registry pod made by hand from a copy of it, with a TLS secret whose key is broken, crash-loops and sorts first among the service's pods.",
      Set.of()),
  MANY_IMAGES("many-images",
      "A long-lived cluster: 20,000 Images of earlier builds and 2,000 events in the registry's namespace about pods long gone, a quarter with only eventTime.",
      Set.of()),
  READY_REPLICAS_UNREPORTED("ready-replicas-unreported",
      "The operator leaves the config's status.readyReplicas at 0 while the registry runs and is Available, as the 4.4.16 and 4.7.16 clusters of the Insights samples report it.",
      Set.of());

  /** Whether the lab starts with the whole procedure already done (faults about who runs regcheck). */
  public boolean procedureDone() {
    return this == RESTRICTED_AUDITOR || this == AUDIT_WITH_PASSWORD || this == CA_ANCHOR_NOT_EXTRACTED;
  }

  private final String id;
  private final String description;
  private final Set<String> skippedSteps;

  Fault(String id, String description, Set<String> skippedSteps) {
    this.id = id;
    this.description = description;
    this.skippedSteps = skippedSteps;
  }

  /** The command-line name, e.g. {@code pv-rwo}. */
  public String id() {
    return id;
  }

  /** One English sentence: what a real lab got wrong. */
  public String description() {
    return description;
  }

  /** Procedure steps (e.g. {@code S01}) the simulated person did not do. */
  public Set<String> skippedSteps() {
    return skippedSteps;
  }

  public static Optional<Fault> byId(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }
}
