package dev.regcheck.lab;

import dev.regcheck.cli.Labs;
import dev.regcheck.fixture.PersistentVolumeClaimStep;
import dev.regcheck.fixture.PersistentVolumeStep;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.regcheck.lab.operators.ImageRegistryOperator;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.WellKnown;

/**
 * Drives a lab the way the harness's apply mode does: the procedure's steps as the user, on a lab
 * built from the sandbox profile as {@code regcheck demo} builds it. The PV and PVC are the
 * harness fixtures' own templates, so these tests exercise the objects the harness creates; the
 * config patches are the ones the S01/S05/S07 fixtures send.
 */
public final class LabDriver {
  public static final LabProfile PROFILE = new ProfileLoader(Map.of(), Map.of())
      .load(Path.of("profiles/sandbox.yaml"));
  public static final LabSettings SETTINGS = Labs.settings(PROFILE);
  private static final PatchContext MERGE = new PatchContext.Builder()
      .withPatchType(PatchType.JSON_MERGE).build();

  private LabDriver() {}

  public static OpenShiftClient userClient(EmbeddedLab lab) throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(lab.kubeconfig()));
    // proxy-required: the workstation's HTTPS_PROXY, as oc takes it
    Optional.ofNullable(LabFiles.runEnvironment(lab.kubeconfig().getParent()).get("HTTPS_PROXY"))
        .filter(p -> !p.isEmpty()).ifPresent(config::setHttpsProxy);
    return new KubernetesClientBuilder().withConfig(config).build().adapt(OpenShiftClient.class);
  }

  /** The sandbox profile as a run against this lab reads it (its NFS server is the lab's own address). */
  public static LabProfile profileOf(EmbeddedLab lab) {
    return new ProfileLoader(Map.of(), lab.profileOverrides()).load(Path.of("profiles/sandbox.yaml"));
  }

  /** The procedure's fixtures for every step not in {@code skipped}, never touching existing objects. */
  public static void applySteps(EmbeddedLab lab, OpenShiftClient client, Set<String> skipped) {
    LabSettings s = SETTINGS;
    LabProfile profile = profileOf(lab);
    if (!skipped.contains("S01")) {
      patchConfig(client, "{\"spec\":{\"managementState\":\"Managed\"}}");
    }
    if (!skipped.contains("S03") && client.persistentVolumes().withName(s.pvName()).get() == null) {
      client.persistentVolumes().resource(PersistentVolumeStep.template(profile).build()).create();
    }
    if (!skipped.contains("S04") && client.persistentVolumeClaims().inNamespace(s.namespace())
        .withName(s.pvcName()).get() == null) {
      client.persistentVolumeClaims().inNamespace(s.namespace())
          .resource(PersistentVolumeClaimStep.template(PROFILE).build()).create();
    }
    if (!skipped.contains("S05")) {
      patchConfig(client, "{\"spec\":{\"storage\":{\"pvc\":{\"claim\":\""
          + PROFILE.storage().claim() + "\"}}}}");
    }
    if (!skipped.contains("S07")) {
      patchConfig(client, "{\"spec\":{\"storage\":{\"managementState\":\"Managed\"}}}");
    }
  }

  public static void patchConfig(OpenShiftClient client, String mergePatch) {
    client.imageRegistryOperatorConfigs().withName(WellKnown.REGISTRY_CONFIG).patch(MERGE, mergePatch);
  }
}
