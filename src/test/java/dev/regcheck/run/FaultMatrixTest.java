package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.Messages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.LabFiles;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.apiserver.Identities;
import dev.regcheck.lab.apiserver.RequestLog;
import dev.regcheck.cli.Labs;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.regcheck.session.Mode;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * The fault matrix: every fault breaks the embedded lab the way real labs break, and the run
 * (apply mode, as {@code ./regcheck demo --fault}) makes exactly the listed checks FAIL, WARN or
 * BLOCKED — every other check PASSes — and the message names the cause. The healthy lab passes
 * everything. This is what shows that each check can fail, and fails for the right reason.
 *
 * <p>Every row runs in Chinese ({@code --lang zh}), as a class is taught: each message in
 * summary.json that is not a PASS holds Chinese, and every harness phrase in it (the quoted
 * blocker's reason too) comes from a template with a Chinese variant; {@code messageEn} holds the
 * English the mentions below are matched against.
 */
@EmbeddedLabTest(classLab = false)
class FaultMatrixTest {

  static final Path SANDBOX = Path.of("profiles/sandbox.yaml");
  static final LabProfile PROFILE = new ProfileLoader(Map.of(), Map.of()).load(SANDBOX);

  record Expect(Map<String, Status> notPassing, Map<String, String> mentions) {}

  static Expect expect(String failing, String blocked, String warned, String... mentions) {
    return expectWithSkips(failing, blocked, warned, "", mentions);
  }

  static Expect expectWithSkips(String failing, String blocked, String warned, String skipped, String... mentions) {
    Map<String, Status> m = new LinkedHashMap<>();
    ids(skipped).forEach(id -> m.put(id, Status.SKIP));
    ids(failing).forEach(id -> m.put(id, Status.FAIL));
    ids(blocked).forEach(id -> m.put(id, Status.BLOCKED));
    ids(warned).forEach(id -> m.put(id, Status.WARN));
    Map<String, String> say = new LinkedHashMap<>();
    for (int i = 0; i < mentions.length; i += 2) {
      say.put(mentions[i], mentions[i + 1]);
    }
    return new Expect(m, say);
  }

  static List<String> ids(String s) {
    return s.isBlank() ? List.of() : List.of(s.split(" "));
  }

  static final String POD_CHECKS = "S06.1 S06.2 S06.3";
  /** What a registry the operator never deployed blocks: its service and everything through it (S08.2, S08.4 stand alone). */
  static final String SERVICE_CHECKS = "S08.1 S08.3 S08.5 S08.6 S08.7 S08.8 S08.9 S09.1 S09.2 S09.3 S10.4 S11.6 S12.3";
  /** What a service without a Ready endpoint blocks (S08.1 itself FAILs: the service exists, nothing serves). */
  static final String BEHIND_SERVICE = "S08.3 S08.5 S08.6 S08.7 S08.8 S08.9 S09.1 S09.2 S09.3 S10.4 S11.6 S12.3";
  static final String AFTER_PUSH = "S08.8 S09.1 S09.2 S09.3 S10.4 S11.6";
  /** What an operator that never syncs (rejected config, no storage) leaves unmade: its routes. */
  static final String ROUTES = "S10.1 S10.2 S10.3 S11.4 S11.5";

  /** The rows to run: all, or those a developer names ({@code -Dregcheck.rows=healthy,removed}). */
  static Stream<Arguments> matrix() {
    String only = System.getProperty("regcheck.rows", "");
    return rows().filter(a -> only.isBlank() || List.of(only.split(",")).contains((String) a.get()[0]));
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("healthy", EnumSet.noneOf(Fault.class), expect("", "", "")),
        Arguments.of("removed", EnumSet.of(Fault.REMOVED), expect("S01.1",
            "S01.2 S05.2 S05.3 S05.4 " + POD_CHECKS + " S07.1 S08.2 " + SERVICE_CHECKS + " " + ROUTES, "",
            "S01.1", "spec.managementState is Removed", "S08.2", "blocked by S01.1")),
        Arguments.of("storage-not-configured", EnumSet.of(Fault.STORAGE_NOT_CONFIGURED), expect("S01.2 S05.1 S05.3",
            "S05.2 S05.4 " + POD_CHECKS + " S07.1 S08.2 " + SERVICE_CHECKS + " " + ROUTES, "",
            "S01.2", "StorageNotConfigured", "S05.3", "StorageNotConfigured", "S05.1", "no storage type", "S08.2", "has not created service")),
        Arguments.of("pv-rwo", EnumSet.of(Fault.PV_RWO), expect("S03.1 S04.2 S05.3 S06.1 S08.1",
            "S03.2 S05.4 " + BEHIND_SERVICE, "",
            "S03.1", "lack ReadWriteMany", "S06.1", "cannot be scheduled", "S08.1", "no ready endpoint", "S04.2", "offers [ReadWriteOnce] but the claim needs [ReadWriteMany]")),
        // S02 probes the server the PV names: the lab's namespace is 169.254.(200+i).2 in a /30, so the
        // PV's .3 is an address no host on that network has (as a mistyped address in a real lab)
        Arguments.of("pv-wrong-server", EnumSet.of(Fault.PV_WRONG_SERVER), expect("S02.1 S03.1 S05.3 S06.1 S08.1",
            "S02.2 S02.3 S02.4 S05.4 " + BEHIND_SERVICE, "",
            "S02.1", ".3:111: cannot connect: Network is unreachable", "S03.1", "nfs.server", "S05.3", "FailedMount", "S06.1", "FailedMount")),
        Arguments.of("pvc-default-class", EnumSet.of(Fault.PVC_DEFAULT_CLASS), expect("S04.1 S04.2 S05.3 S06.1 S08.1",
            "S03.2 S05.4 " + BEHIND_SERVICE, "",
            "S04.1", "default StorageClass", "S04.2", "storageClassName 'lab-nfs'", "S03.2", "blocked by S04.2")),
        Arguments.of("claim-missing", EnumSet.of(Fault.CLAIM_MISSING), expect("S04.1 S05.2 S05.3",
            "S03.2 S04.2 S05.4 " + POD_CHECKS + " S08.2 " + SERVICE_CHECKS + " " + ROUTES, "",
            "S04.1", "does not exist", "S03.2", "blocked by S04.1", "S05.2", "not found",
            "S05.3", "the operator creates a claim only when spec.storage.pvc.claim is empty")),
        // a claim binds once: S03.2 says so at once instead of waiting timeouts.settle for a bind that cannot come;
        // the registry itself runs (on the other volume), so nothing else is blocked
        Arguments.of("claim-bound-elsewhere", EnumSet.of(Fault.CLAIM_BOUND_ELSEWHERE), expect("S03.2 S04.2", "", "",
            "S03.2", "is Bound to volume registry-old, so PersistentVolume internal-registry stays Available and will "
                + "never bind to it", "S04.2", "bound to volume registry-old, not internal-registry")),
        Arguments.of("registry-crashloop", EnumSet.of(Fault.REGISTRY_CRASHLOOP), expect("S05.3 S06.1 S08.1",
            "S05.4 " + BEHIND_SERVICE, "S06.3",
            "S05.3", "crash-looping", "S06.3", "restarted")),
        // Running but never Ready: S05.3 and S06.1 end at the readiness probe's failure threshold, not at the timeout
        Arguments.of("registry-hung", EnumSet.of(Fault.REGISTRY_HUNG), expect("S05.3 S06.1 S08.1",
            "S05.4 " + BEHIND_SERVICE, "",
            "S05.3", "is Running but not Ready: its readiness probe failed", "S06.1", "context deadline exceeded",
            "S08.1", "no ready")),
        // one replica of two hangs: S06.1 alone says so; everything through the service uses the Ready one
        Arguments.of("replica-hung", EnumSet.of(Fault.REPLICA_HUNG), expect("S05.3 S06.1", "S05.4", "",
            "S06.1", "is Running but not Ready: its readiness probe failed")),
        Arguments.of("pv-released", EnumSet.of(Fault.PV_RELEASED), expect("S03.2 S04.2 S05.3 S06.1 S08.1",
            "S05.4 " + BEHIND_SERVICE, "",
            "S03.2", "is Released", "S04.2", "it is Released: its claimRef still names the deleted claim")),
        // S05 done with the document's merge patch over an earlier emptyDir: the fix must clear it
        Arguments.of("storage-two-types", EnumSet.of(Fault.STORAGE_TWO_TYPES), expect("S05.1 S05.3",
            "S05.2 S05.4 " + POD_CHECKS + " S07.1 S08.2 " + SERVICE_CHECKS + " " + ROUTES, "",
            "S05.1", "2 storage types [emptyDir, pvc]; exactly one is allowed — the operator says: Unable to apply "
                + "resources: unable to sync storage configuration: exactly one storage type should be configured "
                + "at the same time, got 2: [EmptyDir PVC]",
            "S05.2", "blocked by S05.1")),
        Arguments.of("storage-unmanaged", EnumSet.of(Fault.STORAGE_UNMANAGED), expect("S07.1", "", "",
            "S07.1", "spec.storage.managementState is Unmanaged")),
        Arguments.of("operator-hotloop", EnumSet.of(Fault.OPERATOR_HOTLOOP), expect("", "", "S05.4",
            "S05.4", "rewrote the config")),
        Arguments.of("unmanaged-emptydir", EnumSet.of(Fault.UNMANAGED_EMPTYDIR), expect("S01.1 S06.2",
            "S01.2 S05.2 S05.3 S05.4 S07.1 " + ROUTES + " S10.4 S11.6 S12.3", "",
            "S01.1", "spec.managementState is Unmanaged", "S06.2", "comes from no claim")),
        // a route that exists is judged though the operator is Unmanaged: S10.1 names the edit, not S01.1
        Arguments.of("unmanaged-route-edge", EnumSet.of(Fault.UNMANAGED_ROUTE_EDGE), expect("S01.1 S10.1 S10.4 S12.3",
            "S01.2 S05.2 S05.3 S05.4 S07.1 S11.4 S11.5 S11.6", "",
            "S01.1", "spec.managementState is Unmanaged", "S10.1", "termination is edge, expected reencrypt",
            "S11.4", "blocked by S01.1: route public-routes in openshift-image-registry does not exist")),
        Arguments.of("no-builder-role", EnumSet.of(Fault.NO_BUILDER_ROLE), expect("S08.7", AFTER_PUSH, "",
            "S08.7", "system:image-builder")),
        Arguments.of("catalog-forbidden", EnumSet.of(Fault.CATALOG_FORBIDDEN), expectWithSkips("", "", "", "S08.6",
            "S08.6", "list imagestreams")),
        Arguments.of("anonymous-push", EnumSet.of(Fault.ANONYMOUS_PUSH), expect("S08.9", "", "",
            "S08.9", "anonymous client may push")),
        Arguments.of("notifications-lost", EnumSet.of(Fault.NOTIFICATIONS_LOST), expect("S08.7", AFTER_PUSH, "",
            "S08.7", "image stream")),
        Arguments.of("delete-noop", EnumSet.of(Fault.DELETE_NOOP), expect("S09.3", "", "",
            "S09.3", "still serves")),
        Arguments.of("registry-down", EnumSet.of(Fault.REGISTRY_DOWN), expect("S08.5",
            "S08.6 S08.7 S08.9 S12.3 " + AFTER_PUSH, "",
            "S08.5", "/openshift/token")),
        Arguments.of("hostname-not-published", EnumSet.of(Fault.HOSTNAME_NOT_PUBLISHED), expect("S08.2 S10.2 S11.5", "S11.6", "",
            "S08.2", "internalRegistryHostname", "S10.2", "publishes no hostnames at all")),
        Arguments.of("blob-corruption", EnumSet.of(Fault.BLOB_CORRUPTION), expect("S08.8 S10.4 S11.6", "", "",
            "S08.8", "DIGEST_MISMATCH", "S11.6", "DIGEST_MISMATCH")),
        Arguments.of("image-held", EnumSet.of(Fault.IMAGE_HELD), expect("S09.2", "S09.3", "",
            "S09.2", "finalizers")),
        Arguments.of("service-cert-wrong-san", EnumSet.of(Fault.SERVICE_CERT_WRONG_SAN), expect("S08.3",
            "S08.5 S08.6 S08.7 S08.8 S08.9 S09.1 S09.2 S09.3 S10.4 S11.6 S12.3", "",
            "S08.3", "does not cover image-registry.openshift-image-registry.svc")),
        Arguments.of("nfs-down", EnumSet.of(Fault.NFS_DOWN), expect("S02.1", "S02.2 S02.3 S02.4", "",
            "S02.1", ".2:111: connection refused", "S02.3", "blocked by S02.1")),
        Arguments.of("export-missing", EnumSet.of(Fault.EXPORT_MISSING), expect("S02.2", "S02.4", "",
            "S02.2", "does not export /nfs (from PV internal-registry); exports seen: /")),
        Arguments.of("export-readonly", EnumSet.of(Fault.EXPORT_READONLY), expect("", "", "S02.4",
            "S02.4", "NFS3ERR_ROFS")),
        Arguments.of("pv-wrong-path", EnumSet.of(Fault.PV_WRONG_PATH), expect("S02.2 S03.1 S05.3 S06.1 S08.1",
            "S02.4 S05.4 " + BEHIND_SERVICE, "",
            "S02.2", "does not export /nfs-wrong (from PV internal-registry); exports seen: /nfs *",
            "S03.1", "nfs.path", "S06.1", "FailedMount")),
        Arguments.of("endpoints-stale", EnumSet.of(Fault.ENDPOINTS_STALE), expect("S08.1",
            BEHIND_SERVICE, "",
            "S08.1", "1 registry pod(s) are Ready: the endpoints controller (kube-controller-manager)")),
        Arguments.of("default-route-off", EnumSet.of(Fault.DEFAULT_ROUTE_OFF), expect("S10.1 S12.2",
            "S10.2 S10.3 S10.4", "",
            "S10.1", "spec.defaultRoute is not set", "S12.2", "that is the ingress CA")),
        Arguments.of("ingress-ca-untrusted", EnumSet.of(Fault.INGRESS_CA_UNTRUSTED), expect("S10.3 S12.2", "S10.4", "",
            "S10.3", "does not verify against the ingress CA", "S12.2", "does not chain to the ingress CA either")),
        Arguments.of("san-mismatch", EnumSet.of(Fault.SAN_MISMATCH), expect("S11.2 S11.5", "S11.6", "",
            "S11.2", "[registry.cluster1.xiaohui.cn] do not cover registry.apps.cluster1.xiaohui.cn",
            "S11.5", "does not cover registry.apps.cluster1.xiaohui.cn")),
        Arguments.of("cert-expired", EnumSet.of(Fault.CERT_EXPIRED), expect("S11.2 S11.3 S11.5", "S11.6", "",
            "S11.2", "expired", "S11.5", "expired")),
        Arguments.of("wrong-root", EnumSet.of(Fault.WRONG_ROOT), expect("S11.3 S11.5", "S11.6", "",
            "S11.3", "unknown issuer CN=old lab root CA", "S11.5", "does not verify against the lab root CA")),
        Arguments.of("key-mismatch", EnumSet.of(Fault.KEY_MISMATCH), expect("S11.1 S11.4",
            "S11.5 S11.6", "",
            "S11.1", "tls.key is not the private key of tls.crt", "S11.4", "ExtendedValidationFailed")),
        Arguments.of("route-named-default-route", EnumSet.of(Fault.ROUTE_NAMED_DEFAULT_ROUTE),
            expect("S01.2 S05.2 S05.3 S07.1 S11.4",
                "S05.4 " + POD_CHECKS + " S08.1 S08.2 S08.3 S08.5 S08.6 S08.7 S08.8 S08.9 S09.1 S09.2 S09.3 "
                    + "S10.1 S10.2 S10.3 S10.4 S11.5 S11.6 S12.3", "",
                "S01.2", "VerificationFailed", "S11.4", "duplication of names has been detected in the additional routes")),
        Arguments.of("root-ca-untrusted", EnumSet.of(Fault.ROOT_CA_UNTRUSTED), expect("S12.3", "", "",
            "S12.3", "registry.apps.cluster1.xiaohui.cn")),
        Arguments.of("kubeconfig-wrong-ca", EnumSet.of(Fault.KUBECONFIG_WRONG_CA), expect("S12.1",
            Catalog.all().stream().map(c -> c.id()).filter(id -> !id.equals("S12.1"))
                .collect(Collectors.joining(" ")), "",
            "S12.1", "x509: certificate signed by unknown authority", "S08.4", "blocked by S12.1")),
        // the kubeconfig's token expired: S08.4 says so (never a PASS with a refused token); with a password the
        // run logs in as oc login -u would, goes on and logs out at the end; without one nothing else can be read
        Arguments.of("token-expired", EnumSet.of(Fault.TOKEN_EXPIRED), expect("S08.4", "", "",
            "S08.4", "401 Unauthorized): the session has expired or was logged out (oc: error: You must be logged in to the "
                + "server (Unauthorized)); this run logged in again (oc login -u lixiaohui with the profile's password")),
        Arguments.of("token-expired" + NO_PASSWORD, EnumSet.of(Fault.TOKEN_EXPIRED), expectWithSkips("S08.4",
            Catalog.all().stream().map(c -> c.id()).filter(id -> !List.of("S08.4", "S12.1", "S12.2").contains(id))
                .collect(Collectors.joining(" ")), "", "S12.2",
            "S08.4", "the profile gives no identity.password to log in with", "S01.1", "blocked by S08.4")),
        Arguments.of("registry-capability-disabled", EnumSet.of(Fault.REGISTRY_CAPABILITY_DISABLED), expect("S01.1",
            Catalog.all().stream().map(c -> c.id()).filter(id -> !id.startsWith("S02.") && !List.of("S01.1", "S03.1",
                "S08.4", "S12.1", "S12.2").contains(id)).collect(Collectors.joining(" ")), "",
            "S01.1", "the ImageRegistry capability is not enabled (clusterversion version: baselineCapabilitySet None",
            "S01.1" + FIX, "oc patch clusterversion version --type merge -p '{\"spec\":{\"capabilities\":"
                + "{\"additionalEnabledCapabilities\":[\"Build\",",
            "S04.1", "blocked by S01.1: namespace openshift-image-registry does not exist",
            "S11.4", "blocked by S01.1: configs.imageregistry.operator.openshift.io/cluster does not exist")),
        Arguments.of("evicted-registry-pod", EnumSet.of(Fault.EVICTED_REGISTRY_POD), expect("", "", "",
            "S06.1", "also listed, not the registry's current pods: image-registry-")),
        Arguments.of("restricted-auditor" + AUDIT, EnumSet.of(Fault.RESTRICTED_AUDITOR), expectWithSkips("", "", "",
            AUDIT_SKIPS + " S11.1 S11.2 S11.3 S11.4 S11.5 S11.6 S12.2",
            "S11.1", "not permitted for lixiaohui (403): secrets \"registry\" is forbidden: User \"lixiaohui\" cannot get "
                + "resource \"secrets\" in API group \"\" in the namespace \"openshift-image-registry\"",
            "S12.2", "audit mode does not log in")),
        Arguments.of("audit-with-password" + AUDIT, EnumSet.of(Fault.AUDIT_WITH_PASSWORD), expectWithSkips("", "", "",
            AUDIT_SKIPS + " S08.4 S08.5 S08.6 S11.6 S12.2 S12.3",
            "S08.4", "no token is currently in use for this session (the kubeconfig authenticates by client certificate), "
                + "and audit mode does not log in", "S09.3", "skipped because S08.5 was skipped (via S09.2): no token")),
        Arguments.of("foreign-in-cluster-env", EnumSet.of(Fault.FOREIGN_IN_CLUSTER_ENV), expect("", "", "",
            "S08.3", "reached through the service's endpoint")),
        Arguments.of("nfs-secure-export", EnumSet.of(Fault.NFS_SECURE_EXPORT), expect("", "", "",
            "S02.4", "created, wrote, read back and removed")),
        Arguments.of("ca-anchor-not-extracted" + AUDIT, EnumSet.of(Fault.CA_ANCHOR_NOT_EXTRACTED), expectWithSkips("S12.3",
            "", "", AUDIT_SKIPS + " S11.6 S12.2",
            "S12.3", "CN=regcheck lab root CA is in ", "S12.3" + FIX, "update-ca-certificates")),
        Arguments.of("proxy-required", EnumSet.of(Fault.PROXY_REQUIRED), expect("", "", "",
            "S10.3", "default-route-openshift-image-registry.apps.cluster1.xiaohui.cn:443 through the proxy http://127.0.0.1:")),
        Arguments.of("port-forward-crashloop-first", EnumSet.of(Fault.PORT_FORWARD_CRASHLOOP_FIRST), expect("", "", "",
            "S08.3", "reached through a port-forward through the API server to pod image-registry-",
            "S06.1", "image-registry-0-canary (no controller: not the Deployment's)")),
        Arguments.of("many-images", EnumSet.of(Fault.MANY_IMAGES), expect("", "", "")),
        // the config's status.readyReplicas is 0 on real healthy 4.4 and 4.7 clusters: S06.1 counts by the deployment
        Arguments.of("ready-replicas-unreported", EnumSet.of(Fault.READY_REPLICAS_UNREPORTED), expect("", "", "")),
        Arguments.of("client-cert-only", EnumSet.of(Fault.CLIENT_CERT_ONLY), expect("", "", "",
            "S08.4", "oc login -u lixiaohui")),
        Arguments.of("client-cert-only" + NO_PASSWORD, EnumSet.of(Fault.CLIENT_CERT_ONLY), expectWithSkips("S08.4",
            "S08.5 S08.6 S08.7 S08.9 " + AFTER_PUSH + " S12.3", "", "S12.2",
            "S08.4", "no token is currently in use for this session", "S12.2", "no identity.password")));
  }

  /** What audit mode never does: write probes, pushes, pulls of what it did not push, deletions. */
  static final String AUDIT_SKIPS = "S02.4 S08.7 S08.8 S08.9 S09.1 S09.2 S09.3 S10.4";

  /** A mention naming a check's fix, not its message ({@code "S01.1" + FIX}). */
  static final String FIX = " fix";

  /** A row run in audit mode (against a lab whose procedure was done), not apply. */
  static final String AUDIT = " (audit mode)";
  static final String TOKENS = "/apis/oauth.openshift.io/v1/oauthaccesstokens";

  /** A row whose profile gives no identity.password (the lab's password file is not named). */
  static final String NO_PASSWORD = " (profile without a password)";

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  @DisplayName("each fault fails exactly its checks")
  void faultFailsExactlyItsChecks(String name, Set<Fault> faults, Expect expect, @TempDir Path dir, TestLabs labs) throws Exception {
    LabProfile p = PROFILE;
    LabSettings settings = Labs.settings(p);
    Set<String> skipped = new TreeSet<>();
    faults.forEach(f -> skipped.addAll(f.skippedSteps()));
    RunReport report;
    Optional<String> noNfs;
    try (EmbeddedLab lab = labs.start(settings, faults)) {
      noNfs = lab.nfsUnavailable();
      Map<String, String> overrides = new LinkedHashMap<>(lab.profileOverrides());
      if (name.endsWith(NO_PASSWORD)) {
        overrides.remove("identity.password.file");
      }
      Mode mode = name.endsWith(AUDIT) ? Mode.AUDIT : Mode.APPLY;
      Instant runStart = Instant.now();
      report = SuiteRunner.run(new RunOptions(SANDBOX, overrides,
          mode, Lang.ZH, Set.of(), null, mode == Mode.AUDIT ? Set.of() : skipped, dir.resolve("reports"))
          .withEnvironment(LabFiles.runEnvironment(lab.kubeconfig().getParent())), r -> { });
      List<RequestLog.Entry> during = lab.requests().stream().filter(e -> !e.time().isBefore(runStart)).toList();
      // a run that logs in logs out: every token object its logins made is deleted by the end
      long logins = during.stream().filter(e -> e.method().equals("POST") && e.path().startsWith(TOKENS)
          && e.status() == 201).count();
      long logouts = during.stream().filter(e -> e.method().equals("DELETE") && e.path().startsWith(TOKENS + "/")
          && e.status() == 200).count();
      assertThat(logouts).as("tokens the run obtained and revoked").isEqualTo(logins);
      if (faults.contains(Fault.MANY_IMAGES)) {
        // 20,000 Images and 2,000 events: every list of them is read in pages, as oc get does
        assertThat(during.stream().filter(e -> e.method().equals("GET") && !e.path().contains("watch=")
            && (e.path().matches("/apis/image\\.openshift\\.io/v1/images(\\?.*)?")
                || e.path().matches("/api/v1/namespaces/[^/]+/events(\\?.*)?"))))
            .as("lists of images and events").isNotEmpty().allMatch(e -> e.path().contains("limit="));
      }
      if (mode == Mode.AUDIT) {
        assertThat(during).as("audit writes nothing, not even a login's token object").noneMatch(e -> e.mutating()
            && !e.actor().equals(Identities.CONTROL_PLANE_ACTOR));
      }
      // the lab as the row left it, recorded by a live audit and judged again from the recording
      RecordRoundTrip.check(name, overrides, LabFiles.runEnvironment(lab.kubeconfig().getParent()), dir);
    }

    Map<String, Status> actual = new LinkedHashMap<>();
    for (CheckResult r : report.results()) {
      if (r.status() != Status.PASS) {
        actual.put(r.check().id(), r.status());
      }
    }
    assertThat(report.results()).as("every catalog check ran").hasSize(Catalog.all().size());
    inChinese(report);
    if (noNfs.isPresent()) {
      // no NFS server can run here (not root, port 111 taken, packages missing): every S02 check
      // SKIPs with the lab's reason, whatever the fault; the rest of the row stands
      expect = withoutNfs(expect);
      for (String id : List.of("S02.1", "S02.2", "S02.3", "S02.4")) {
        assertThat(message(report, id)).as(id + " message").contains(noNfs.get());
      }
    }
    assertThat(actual).as("checks that did not pass, with " + name + "\n" + messages(report))
        .containsExactlyInAnyOrderEntriesOf(expect.notPassing());
    expect.mentions().forEach((id, text) -> {
      if (id.endsWith(FIX)) {
        String check = id.substring(0, id.length() - FIX.length());
        assertThat(result(report, check).remediation()).as(check + " fix").contains(text);
      } else {
        assertThat(message(report, id)).as(id + " message").contains(text);
      }
    });
    boolean mandatoryFailed = expect.notPassing().entrySet().stream().anyMatch(e ->
        Catalog.get(e.getKey()).mandatory() && (e.getValue() == Status.FAIL || e.getValue() == Status.BLOCKED));
    assertThat(report.exitCode()).isEqualTo(mandatoryFailed ? 1 : 0);
    // Failing fast: a stuck claim, a crash loop, a failed mount or a refusal ends the wait at once,
    // well inside the profile's settle timeout (a timeout would take the whole of it).
    for (CheckResult r : report.results()) {
      // a refusal (403) is a SKIP at once: no wait runs to its timeout
      if (r.status() == Status.FAIL || r.status() == Status.SKIP) {
        assertThat(Duration.ofMillis(r.durationMs())).as(r.check().id() + " failed or skipped fast")
            .isLessThan(p.timeouts().settle().dividedBy(2));
      }
    }
  }

  /** Every non-PASS message of the run's summary.json in Chinese, from templates that cover all of it. */
  static void inChinese(RunReport report) throws java.io.IOException {
    JsonNode summary = new ObjectMapper().readTree(report.dir().resolve("summary.json").toFile());
    List<String> english = new java.util.ArrayList<>();
    for (JsonNode c : summary.path("checks")) {
      if (c.path("status").asText().equals("PASS")) {
        continue;
      }
      String id = c.path("id").asText();
      String zh = c.path("message").asText();
      String en = c.path("messageEn").asText();
      if (!Messages.hasChinese(zh)) {
        english.add(id + " has no Chinese: " + zh);
      }
      Messages.gaps(en).forEach(g -> english.add(id + " phrase with no zh template: " + g));
      assertThat(result(report, id).message()).as(id + " messageEn").isEqualTo(en);
    }
    assertThat(english).as("messages not in Chinese").isEmpty();
  }

  static Expect withoutNfs(Expect expect) {
    Map<String, Status> notPassing = new LinkedHashMap<>();
    expect.notPassing().forEach((id, status) -> {
      if (!id.startsWith("S02.")) {
        notPassing.put(id, status);
      }
    });
    List.of("S02.1", "S02.2", "S02.3", "S02.4").forEach(id -> notPassing.put(id, Status.SKIP));
    Map<String, String> mentions = new LinkedHashMap<>();
    expect.mentions().forEach((id, text) -> {
      if (!id.startsWith("S02.")) {
        mentions.put(id, text);
      }
    });
    return new Expect(notPassing, mentions);
  }

  static CheckResult result(RunReport r, String id) {
    return r.results().stream().filter(x -> x.check().id().equals(id)).findFirst().orElseThrow();
  }

  static String message(RunReport r, String id) {
    return r.results().stream().filter(x -> x.check().id().equals(id)).findFirst().map(CheckResult::message).orElse("");
  }

  static String messages(RunReport r) {
    StringBuilder sb = new StringBuilder();
    r.results().forEach(x -> sb.append(x.check().id()).append(' ').append(x.status()).append(' ').append(x.message()).append('\n'));
    return sb.toString();
  }
}
