package dev.regcheck.lab;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;

/** Drives a lab the way the harness's apply mode does: the procedure's steps as the user. */
final class LabDriver {
  static final LabSettings SETTINGS = new LabSettings("apps.cluster1.example.com",
      List.of("master0.cluster1.example.com", "master1.cluster1.example.com",
          "master2.cluster1.example.com"),
      "172.16.50.200", "/nfs", "internal-registry", "200Gi", "internal-registry-pvc",
      "openshift-image-registry", "lixiaohui");
  private static final PatchContext MERGE = new PatchContext.Builder()
      .withPatchType(PatchType.JSON_MERGE).build();

  private LabDriver() {}

  static OpenShiftClient userClient(EmbeddedLab lab) throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(lab.kubeconfig()));
    return new KubernetesClientBuilder().withConfig(config).build().adapt(OpenShiftClient.class);
  }

  /** The procedure's fixtures for every step not in {@code skipped}, never touching existing objects. */
  static void applySteps(OpenShiftClient client, Set<String> skipped) {
    LabSettings s = SETTINGS;
    if (!skipped.contains("S01")) {
      patchConfig(client, "{\"spec\":{\"managementState\":\"Managed\"}}");
    }
    if (!skipped.contains("S03") && client.persistentVolumes().withName(s.pvName()).get() == null) {
      client.persistentVolumes().resource(FaultSeed.pv(s, "ReadWriteMany", s.nfsServer())).create();
    }
    if (!skipped.contains("S04") && client.persistentVolumeClaims().inNamespace(s.namespace())
        .withName(s.pvcName()).get() == null) {
      client.persistentVolumeClaims().inNamespace(s.namespace()).resource(
          new PersistentVolumeClaimBuilder().withNewMetadata().withName(s.pvcName()).endMetadata()
              .withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("")
              .withNewResources().addToRequests("storage", new Quantity(s.capacity())).endResources()
              .endSpec().build()).create();
    }
    if (!skipped.contains("S05")) {
      patchConfig(client, "{\"spec\":{\"storage\":{\"pvc\":{\"claim\":\"" + s.pvcName() + "\"}}}}");
    }
    if (!skipped.contains("S07")) {
      patchConfig(client, "{\"spec\":{\"storage\":{\"managementState\":\"Managed\"}}}");
    }
  }

  static void patchConfig(OpenShiftClient client, String mergePatch) {
    client.imageRegistryOperatorConfigs().withName("cluster").patch(MERGE, mergePatch);
  }
}
