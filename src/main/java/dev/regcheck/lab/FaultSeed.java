package dev.regcheck.lab;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;

/**
 * Objects a person created wrongly before the harness ran, one set per {@link Fault} that is not
 * a skipped step. Shapes follow the procedure's pv.yaml/pvc.yaml with the one mistake changed.
 */
final class FaultSeed {
  /** The StorageClass of PVC_DEFAULT_CLASS: csi-driver-nfs set up against a share that is not exported. */
  static final String DEFAULT_CLASS = "lab-nfs";

  private FaultSeed() {}

  static void seed(KubernetesClient client, LabSettings s, Set<Fault> faults) {
    if (faults.contains(Fault.PV_RWO)) {
      client.persistentVolumes().resource(pv(s, "ReadWriteOnce", s.nfsServer())).create();
    }
    if (faults.contains(Fault.PV_WRONG_SERVER)) {
      client.persistentVolumes().resource(pv(s, "ReadWriteMany", wrongServer(s.nfsServer()))).create();
    }
    if (faults.contains(Fault.PVC_DEFAULT_CLASS)) {
      client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
          .withName(DEFAULT_CLASS).addToAnnotations(PersistentVolumeBinder.DEFAULT_CLASS_ANNOTATION, "true")
          .endMetadata().withProvisioner(PersistentVolumeBinder.CSI_NFS)
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
  }

  static PersistentVolume pv(LabSettings s, String accessMode, String server) {
    return new PersistentVolumeBuilder().withNewMetadata().withName(s.pvName()).endMetadata()
        .withNewSpec().addToCapacity("storage", new Quantity(s.capacity()))
        .withAccessModes(accessMode).withPersistentVolumeReclaimPolicy("Retain")
        .withStorageClassName("").withNewNfs().withServer(server).withPath(s.nfsPath()).endNfs()
        .endSpec().build();
  }

  /** The export's IPv4 address with the last octet plus one, else {@code nfs.invalid}. */
  static String wrongServer(String server) {
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
