package dev.regcheck.lab.faults;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import dev.regcheck.pki.Pem;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStoragePVC;
import io.fabric8.openshift.client.OpenShiftClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.regcheck.pki.RootCa;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.WellKnown;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStorageBuilder;

/**
 * Objects a person created wrongly before the harness ran, one set per {@link Fault} that is not
 * a skipped step. Shapes follow the procedure's pv.yaml/pvc.yaml with the one mistake changed;
 * a state with a history (PV_RELEASED, UNMANAGED_EMPTYDIR) is seeded as that history left it, not
 * replayed.
 */
public final class FaultSeed {
  /** The StorageClass of PVC_DEFAULT_CLASS: csi-driver-nfs set up against a share that is not exported. */
  static final String DEFAULT_CLASS = "lab-nfs";
  /** PV_RELEASED: the uid of the claim the operator deleted, still in the Released volume's claimRef. */
  public static final String DELETED_CLAIM_UID = "3f6c1d2e-9b4a-4e7c-8a15-0d2b7e9c4f61";

  /** CLAIM_BOUND_ELSEWHERE: the older volume the claim bound to. */
  public static final String OLD_VOLUME = "registry-old";

  private FaultSeed() {}

  public static void seed(OpenShiftClient client, LabSettings s, Set<Fault> faults, RootCa root) {
    CustomRouteSeed.seed(client, s, faults, root);
    if (faults.contains(Fault.STORAGE_TWO_TYPES)) {
      // the emptyDir of an earlier try, then the document's merge patch of S05 on top of it
      client.imageRegistryOperatorConfigs().withName(WellKnown.REGISTRY_CONFIG).edit(c -> {
        c.getSpec().setStorage(new ImageRegistryConfigStorageBuilder().withNewEmptyDir().endEmptyDir()
            .withNewPvc().withClaim(s.pvcName()).endPvc().build());
        return c;
      });
    }
    if (faults.contains(Fault.CLAIM_BOUND_ELSEWHERE)) {
      // an older volume of an earlier attempt, and the claim made then, bound to it by name
      PersistentVolume old = pv(s, "ReadWriteMany", s.nfsServer());
      old.getMetadata().setName(OLD_VOLUME);
      client.persistentVolumes().resource(old).create();
      client.persistentVolumeClaims().inNamespace(s.namespace()).resource(
          new PersistentVolumeClaimBuilder().withNewMetadata().withName(s.pvcName())
              .withNamespace(s.namespace()).endMetadata().withNewSpec()
              .withAccessModes("ReadWriteMany").withStorageClassName("").withVolumeName(OLD_VOLUME).withNewResources()
              .addToRequests("storage", new Quantity(s.capacity())).endResources().endSpec().build())
          .create();
    }
    if (faults.contains(Fault.PV_RWO)) {
      client.persistentVolumes().resource(pv(s, "ReadWriteOnce", s.nfsServer())).create();
    }
    if (faults.contains(Fault.PV_WRONG_SERVER)) {
      client.persistentVolumes().resource(pv(s, "ReadWriteMany", wrongServer(s.nfsServer()))).create();
    }
    if (faults.contains(Fault.PV_WRONG_PATH)) {
      PersistentVolume pv = pv(s, "ReadWriteMany", s.nfsServer());
      pv.getSpec().getNfs().setPath(wrongPath(s.nfsPath()));
      client.persistentVolumes().resource(pv).create();
    }
    if (faults.contains(Fault.PVC_DEFAULT_CLASS)) {
      client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
          .withName(DEFAULT_CLASS).addToAnnotations(WellKnown.DEFAULT_CLASS_ANNOTATION, "true")
          .endMetadata().withProvisioner(WellKnown.CSI_NFS)
          .addToParameters("server", s.nfsServer()).addToParameters("share", "/dynamic")
          .withReclaimPolicy("Delete").withVolumeBindingMode("Immediate")
          .withMountOptions("nfsvers=4.1").build()).create();
      client.persistentVolumeClaims().inNamespace(s.namespace()).resource(
          new PersistentVolumeClaimBuilder().withNewMetadata().withName(s.pvcName())
              .withNamespace(s.namespace()).endMetadata().withNewSpec()
              .withAccessModes("ReadWriteMany").withNewResources()
              .addToRequests("storage", new Quantity(s.capacity())).endResources().endSpec().build())
          .create();
    }
    if (faults.contains(Fault.REPLICA_HUNG)) {
      client.imageRegistryOperatorConfigs().withName(WellKnown.REGISTRY_CONFIG)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
    }
    if (faults.contains(Fault.PV_RELEASED)) {
      releasedVolume(client, s);
      keepStorageOfRemovedRegistry(client, s);
    }
    if (faults.contains(Fault.MANY_IMAGES)) {
      HistorySeed.seed(client, s);
    }
    if (faults.contains(Fault.PORT_FORWARD_CRASHLOOP_FIRST)) {
      canaryPod(client, s, root);
    }
    if (faults.stream().anyMatch(Fault::procedureDone)) {
      ProcedureSeed.seed(client, s);
    }
    if (faults.contains(Fault.UNMANAGED_EMPTYDIR) || faults.contains(Fault.UNMANAGED_ROUTE_EDGE)) {
      UnmanagedSeed.seed(client, s, faults.contains(Fault.UNMANAGED_EMPTYDIR), faults.contains(Fault.UNMANAGED_ROUTE_EDGE));
    }
  }

  /** port-forward-crashloop-first: the hand-made pod's name, sorting before the Deployment's pods. */
  public static final String CANARY_POD = WellKnown.REGISTRY + "-0-canary";

  /**
   * A registry pod made by hand from the Deployment's (same labels, so the service selects it),
   * with its own TLS secret whose key was pasted truncated: the registry exits at start, so the
   * pod crash-loops. No controller owns it, so nothing deletes it.
   */
  private static void canaryPod(OpenShiftClient client, LabSettings s, RootCa root) {
    String secret = CANARY_POD + "-tls";
    client.secrets().inNamespace(s.namespace()).resource(new SecretBuilder().withNewMetadata().withName(secret)
        .withNamespace(s.namespace()).endMetadata().withType("kubernetes.io/tls")
        .addToStringData("tls.crt", Pem.toPem(root.certificate()))
        .addToStringData("tls.key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n")
        .build()).create();
    client.pods().inNamespace(s.namespace()).resource(new PodBuilder().withNewMetadata().withName(CANARY_POD)
        .withNamespace(s.namespace()).addToLabels(WellKnown.REGISTRY_POD_LABELS).endMetadata().withNewSpec()
        .withServiceAccountName("registry").addNewContainer().withName("registry").withImage(WellKnown.REGISTRY_IMAGE)
        .addNewPort().withContainerPort(5000).withProtocol("TCP").endPort()
        .addNewVolumeMount().withName("registry-storage").withMountPath("/registry").endVolumeMount()
        .addNewVolumeMount().withName("registry-tls").withMountPath("/etc/secrets").endVolumeMount().endContainer()
        .addNewVolume().withName("registry-storage").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("registry-tls").withNewProjected().addNewSource().withNewSecret().withName(secret)
        .endSecret().endSource().endProjected().endVolume()
        .withRestartPolicy("Always").endSpec().build()).create();
  }

  /** The document's PV after its claim was deleted: Retain keeps the claimRef, the phase is Released. */
  private static void releasedVolume(OpenShiftClient client, LabSettings s) {
    PersistentVolume pv = pv(s, "ReadWriteMany", s.nfsServer());
    pv.getMetadata().setAnnotations(Map.of("pv.kubernetes.io/bound-by-controller", "yes"));
    pv.getSpec().setClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim")
        .withApiVersion("v1").withNamespace(s.namespace()).withName(s.pvcName())
        .withUid(DELETED_CLAIM_UID).withResourceVersion("48213").build());
    PersistentVolume created = client.persistentVolumes().resource(pv).create();
    created.setStatus(new PersistentVolumeStatusBuilder().withPhase("Released").build());
    client.persistentVolumes().resource(created).update();
  }

  /**
   * What Removed leaves of a registry that had Managed storage: RemoveResources deletes the claim
   * but keeps the spec (claim name, storage Managed) and the finalizer.
   */
  private static void keepStorageOfRemovedRegistry(OpenShiftClient client, LabSettings s) {
    Config config = client.imageRegistryOperatorConfigs().withName(WellKnown.REGISTRY_CONFIG).get();
    ImageRegistryConfigStoragePVC pvc = new ImageRegistryConfigStoragePVC();
    pvc.setClaim(s.pvcName());
    config.getSpec().getStorage().setPvc(pvc);
    config.getSpec().getStorage().setManagementState("Managed");
    config.getMetadata().setFinalizers(List.of(WellKnown.REGISTRY_FINALIZER));
    client.resource(config).update();
  }

  static PersistentVolume pv(LabSettings s, String accessMode, String server) {
    return new PersistentVolumeBuilder().withNewMetadata().withName(s.pvName()).endMetadata()
        .withNewSpec().addToCapacity("storage", new Quantity(s.capacity()))
        .withAccessModes(accessMode).withPersistentVolumeReclaimPolicy("Retain")
        .withStorageClassName("").withNewNfs().withServer(server).withPath(s.nfsPath()).endNfs()
        .endSpec().build();
  }

  /** PV_WRONG_PATH: a path next to the export that nothing exports, e.g. {@code /nfs-wrong}. */
  static String wrongPath(String path) {
    return (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "-wrong";
  }

  /** The export's IPv4 address with the last octet plus one, else {@code nfs.invalid}. */
  public static String wrongServer(String server) {
    String[] octets = server.split("\\.");
    if (octets.length == 4) {
      try {
        int last = Integer.parseInt(octets[3]);
        return octets[0] + "." + octets[1] + "." + octets[2] + "." + (last >= 254 ? 1 : last + 1);
      } catch (NumberFormatException e) {
        return "nfs.invalid";
      }
    }
    return "nfs.invalid";
  }
}
