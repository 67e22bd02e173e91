package dev.regcheck.lab.faults;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.RouteBuilder;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStorage;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStoragePVC;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryStatus;
import io.fabric8.openshift.api.model.operator.v1.OperatorCondition;
import io.fabric8.openshift.client.OpenShiftClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import dev.regcheck.lab.operators.RegistryStorage;
import dev.regcheck.lab.operators.RegistryManifests;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.ControlPlane;
import dev.regcheck.lab.core.WellKnown;
import dev.regcheck.lab.core.LabException;

/**
 * An Unmanaged registry as its history left it: the procedure was followed (claim, storage
 * Managed, PV/PVC bound, the operator's Service and objects, status with the claim applied), then
 * the registry was set Unmanaged and edited by hand. UNMANAGED_EMPTYDIR: Deployment
 * {@code image-registry} edited so that volume {@code registry-storage} is an emptyDir.
 * UNMANAGED_ROUTE_EDGE: the default route (S10 done) edited to edge termination, so the router
 * speaks plain HTTP to the registry's TLS port. Seeded directly instead of replayed, so the
 * Deployment starts at generation 1 with one ReplicaSet (the real one would show revision 2).
 */
public final class UnmanagedSeed {
  /** How long the lab's start waits for the seeded registry to roll out. */
  public static final Duration ROLLOUT_LIMIT = Duration.ofSeconds(30);

  private UnmanagedSeed() {}

  static void seed(OpenShiftClient client, LabSettings s, boolean emptyDir, boolean edgeRoute) {
    String ns = s.namespace();
    client.persistentVolumes().resource(FaultSeed.pv(s, "ReadWriteMany", s.nfsServer())).create();
    client.persistentVolumeClaims().inNamespace(ns).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(s.pvcName()).withNamespace(ns).endMetadata().withNewSpec()
        .withAccessModes("ReadWriteMany").withStorageClassName("").withNewResources()
        .addToRequests("storage", new Quantity(s.capacity())).endResources().endSpec().build())
        .create();
    Config config = unmanagedConfig(client, s, edgeRoute);
    RegistryManifests manifests = new RegistryManifests(ns);
    client.resource(manifests.serviceAccount()).inNamespace(ns).create();
    client.resource(manifests.privateConfiguration(config.getSpec().getHttpSecret())).inNamespace(ns).create();
    client.resource(manifests.serviceCaBundle()).inNamespace(ns).create();
    client.resource(manifests.service()).inNamespace(ns).create();
    Deployment deployment = manifests.deployment(config, new RegistryStorage.Choice(emptyDir ? null : s.pvcName()));
    client.apps().deployments().inNamespace(ns).resource(deployment).create();
    if (edgeRoute) {
      // the operator's route (its annotation, its generated host) with the termination edited
      client.routes().inNamespace(ns).resource(new RouteBuilder().withNewMetadata().withName(WellKnown.DEFAULT_ROUTE)
          .withNamespace(ns).addToAnnotations("imageregistry.openshift.io", "true").endMetadata()
          .withNewSpec().withHost(WellKnown.DEFAULT_ROUTE + "-" + ns + "." + s.appsDomain())
          .withNewTo().withKind("Service").withName(WellKnown.REGISTRY).endTo()
          .withNewTls().withTermination("edge").endTls().endSpec().build()).create();
    }
  }

  /** Spec Unmanaged with the procedure's storage; status as the Managed operator last wrote it. */
  private static Config unmanagedConfig(OpenShiftClient client, LabSettings s, boolean defaultRoute) {
    Config config = client.imageRegistryOperatorConfigs().withName(WellKnown.REGISTRY_CONFIG).get();
    byte[] secret = new byte[64];
    new SecureRandom().nextBytes(secret);
    config.getSpec().setManagementState("Unmanaged");
    config.getSpec().setDefaultRoute(defaultRoute ? Boolean.TRUE : config.getSpec().getDefaultRoute());
    config.getSpec().setHttpSecret(HexFormat.of().formatHex(secret));
    config.getSpec().setStorage(storage(s.pvcName()));
    config.getMetadata().setFinalizers(List.of(WellKnown.REGISTRY_FINALIZER));
    Config updated = client.resource(config).update();
    ImageRegistryStatus status = new ImageRegistryStatus();
    status.setStorage(storage(s.pvcName()));
    status.setStorageManaged(true);
    OperatorCondition exists = new OperatorCondition();
    exists.setType(WellKnown.STORAGE_EXISTS);
    exists.setStatus("True");
    exists.setReason("PVC Exists");
    exists.setLastTransitionTime(Times.format(Instant.now().minus(Duration.ofDays(2))));
    status.setConditions(List.of(exists));
    updated.setStatus(status);
    return client.resource(updated).updateStatus();
  }

  private static ImageRegistryConfigStorage storage(String claim) {
    ImageRegistryConfigStoragePVC pvc = new ImageRegistryConfigStoragePVC();
    pvc.setClaim(claim);
    ImageRegistryConfigStorage storage = new ImageRegistryConfigStorage();
    storage.setPvc(pvc);
    storage.setManagementState("Managed");
    return storage;
  }

  /**
   * Waits until the seeded registry has rolled out (the harness must find it running, as in the
   * real lab); a start that cannot is a LabException saying why.
   */
  public static void awaitRollout(KubernetesClient client, String namespace) throws LabException {
    try {
      if (rolledOut(client, namespace)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("the embedded lab's start was interrupted", e);
    }
 throw new LabException("the embedded lab could not start: the Unmanaged registry it seeded "
        + "did not roll out within " + ROLLOUT_LIMIT.toSeconds()
        + " s (is docker-registry installed?)", null);
  }

  /** Polls (the control plane is running) until the seeded Deployment has rolled out; false at the limit. */
  private static boolean rolledOut(KubernetesClient client, String namespace) throws InterruptedException {
    Instant deadline = Instant.now().plus(ROLLOUT_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      Deployment d = client.apps().deployments().inNamespace(namespace).withName(WellKnown.REGISTRY).get();
      if (d != null && d.getStatus() != null && d.getStatus().getConditions() != null
          && d.getStatus().getAvailableReplicas() != null
          && d.getStatus().getAvailableReplicas().equals(d.getSpec().getReplicas())
          && d.getStatus().getConditions().stream().anyMatch(c -> "Progressing".equals(c.getType())
              && "NewReplicaSetAvailable".equals(c.getReason()))) {
        return true;
      }
      Thread.sleep(ControlPlane.TICK_MILLIS);
    }
    return false;
  }
}
