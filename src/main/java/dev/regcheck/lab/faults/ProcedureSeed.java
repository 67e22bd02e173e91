package dev.regcheck.lab.faults;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.openshift.client.OpenShiftClient;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.WellKnown;

/**
 * The procedure followed the day before, for faults about who runs regcheck rather than about the
 * registry (a restricted auditor): the document's PV and claim, the config Managed with the claim
 * as Managed storage and the default route, and (seeded by {@link CustomRouteSeed}) the custom
 * route's secret and entry. The lab's own operator then deploys the registry as it would have;
 * the lab's start waits for the rollout, and the workstation trusts the ingress CA (S10's step).
 */
final class ProcedureSeed {
  private ProcedureSeed() {}

  static void seed(OpenShiftClient client, LabSettings s) {
    client.persistentVolumes().resource(FaultSeed.pv(s, "ReadWriteMany", s.nfsServer())).create();
    client.persistentVolumeClaims().inNamespace(s.namespace()).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(s.pvcName()).withNamespace(s.namespace()).endMetadata().withNewSpec()
        .withAccessModes("ReadWriteMany").withStorageClassName("").withNewResources()
        .addToRequests("storage", new Quantity(s.capacity())).endResources().endSpec().build())
        .create();
    client.imageRegistryOperatorConfigs().withName(WellKnown.REGISTRY_CONFIG).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"managementState\":\"Managed\",\"defaultRoute\":true,\"storage\":{\"managementState\":\"Managed\","
            + "\"pvc\":{\"claim\":\"" + s.pvcName() + "\"}}}}");
  }
}
