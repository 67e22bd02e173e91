package dev.regcheck.assertions;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;
import static dev.regcheck.assertions.RegistryAssertions.assertThatPods;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.fixture.PersistentVolumeClaimStep;
import dev.regcheck.fixture.PersistentVolumeStep;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.openshift.api.model.config.v1.ClusterOperatorBuilder;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ConfigBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;

class RegistryAssertionsTest {

  static final LabProfile PROFILE = new ProfileLoader(Map.of(), Map.of()).load(Path.of("profiles/cluster1.example.yaml"));

  static PersistentVolume documentPv() {
    return PersistentVolumeStep.template(PROFILE).build();
  }

  @Test
  void theDocumentsPvConformsAndEveryDeviationIsNamed() {
    assertThat(documentPv()).conformsTo(PROFILE);
    PersistentVolume wrong = new PersistentVolumeBuilder(documentPv()).editSpec()
        .withAccessModes("ReadWriteOnce").withPersistentVolumeReclaimPolicy("Delete")
        .editNfs().withServer("172.16.50.201").endNfs().addToCapacity("storage", new Quantity("100Gi"))
        .endSpec().build();
    assertThatThrownBy(() -> assertThat(wrong).conformsTo(PROFILE))
        .isInstanceOf(CheckFailure.class)
        .satisfies(e -> {
          String s = ((CheckFailure) e).summary();
          assertThat(s).contains("capacity 100Gi is less than 200Gi", "access modes [ReadWriteOnce] lack ReadWriteMany",
              "reclaim policy Delete, expected Retain", "nfs.server 172.16.50.201, expected 172.16.50.200");
          assertThat(((CheckFailure) e).evidence()).first().extracting(CheckFailure.Evidence::text).asString()
              .contains("name: internal-registry");
        });
  }

  @Test
  void aReleasedVolumeIsExplained() {
    PersistentVolume released = new PersistentVolumeBuilder(documentPv()).editSpec().withNewClaimRef()
        .withNamespace("openshift-image-registry").withName("internal-registry-pvc").endClaimRef().endSpec()
        .withNewStatus().withPhase("Released").endStatus().build();
    assertThatThrownBy(() -> assertThat(released).isBoundTo("openshift-image-registry", "internal-registry-pvc"))
        .hasMessageContaining("is Released").hasMessageContaining("clears spec.claimRef");
    PersistentVolume elsewhere = new PersistentVolumeBuilder(released).editStatus().withPhase("Bound").endStatus()
        .editSpec().editClaimRef().withName("other").endClaimRef().endSpec().build();
    assertThatThrownBy(() -> assertThat(elsewhere).isBoundTo("openshift-image-registry", "internal-registry-pvc"))
        .hasMessageContaining("is bound to openshift-image-registry/other");
  }

  @Test
  void aClaimThatTookTheDefaultClassIsNamedAsTheTrap() {
    PersistentVolumeClaim ok = PersistentVolumeClaimStep.template(PROFILE).build();
    assertThat(ok).matches(documentPv());
    PersistentVolumeClaim defaulted = new PersistentVolumeClaimBuilder(ok).editSpec().withStorageClassName("lab-nfs").endSpec().build();
    assertThatThrownBy(() -> assertThat(defaulted).matches(documentPv()))
        .hasMessageContaining("storageClassName is 'lab-nfs' (a default StorageClass was filled in");
    // read back from the API, an unset class means no default existed when it was created: it binds like ""
    assertThat(new PersistentVolumeClaimBuilder(ok).editSpec().withStorageClassName(null).endSpec().build()).matches(documentPv());
    PersistentVolumeClaim big = new PersistentVolumeClaimBuilder(ok).editSpec().editResources()
        .addToRequests("storage", new Quantity("1Ti")).endResources().endSpec().build();
    assertThatThrownBy(() -> assertThat(big).matches(documentPv())).hasMessageContaining("request 1Ti exceeds");
  }

  static Config config(String state, String reason) {
    return new ConfigBuilder().withNewMetadata().withName("cluster").withGeneration(2L).endMetadata()
        .withNewSpec().withManagementState(state).withReplicas(1).endSpec()
        .withNewStatus().withObservedGeneration(2L)
        .addNewCondition().withType("Available").withStatus("False").withReason(reason).withMessage("Error: storage backend not configured").endCondition()
        .addNewCondition().withType("Degraded").withStatus("True").withReason(reason).withMessage("Error: storage backend not configured").endCondition()
        .endStatus().build();
  }

  @Test
  void storageNotConfiguredIsExplained() {
    assertThat(config("Managed", "Ready")).isManaged().isObserved();
    assertThatThrownBy(() -> assertThat(config("Managed", "StorageNotConfigured")).isNotStuck())
        .hasMessageContaining("StorageNotConfigured").hasMessageContaining("configure spec.storage (S05) first");
    assertThatThrownBy(() -> assertThat(config("Removed", "Removed")).isManaged())
        .hasMessageContaining("spec.managementState is Removed, not Managed (bare metal installs the registry as Removed)");
    assertThatThrownBy(() -> assertThat(config("Managed", "Ready")).hasOnlyClaim("internal-registry-pvc"))
        .hasMessageContaining("no storage type");
  }

  static Config applied(String claim, String existsStatus, String specState, String statusState, Boolean managed) {
    return new ConfigBuilder(config("Managed", "Ready")).editSpec().withNewStorage().withManagementState(specState)
        .withNewPvc().withClaim(claim).endPvc().endStorage().endSpec()
        .editStatus().withStorageManaged(managed).withNewStorage().withManagementState(statusState).withNewPvc()
        .withClaim(claim).endPvc().endStorage()
        .addNewCondition().withType("StorageExists").withStatus(existsStatus).withReason("PVC Exists").endCondition()
        .endStatus().build();
  }

  @Test
  void storageStatusAndManagedStorageAreJudgedFromStatus() {
    assertThat(applied("internal-registry-pvc", "True", "Managed", "Managed", true))
        .hasOnlyClaim("internal-registry-pvc").hasStorageApplied("internal-registry-pvc").hasManagedStorage();
    assertThatThrownBy(() -> assertThat(applied("internal-registry-pvc", "False", "Managed", "Managed", true))
        .hasStorageApplied("internal-registry-pvc")).hasMessageContaining("the operator reports StorageExists=False");
    assertThatThrownBy(() -> assertThat(applied("other", "True", "Managed", "Managed", true))
        .hasStorageApplied("internal-registry-pvc")).hasMessageContaining("status.storage.pvc.claim is other");
    assertThatThrownBy(() -> assertThat(applied("c", "True", "Managed", "Unmanaged", false)).hasManagedStorage())
        .hasMessageContaining("status.storage.managementState is Unmanaged").hasMessageContaining("status.storageManaged is false");
    assertThatThrownBy(() -> assertThat(applied("c", "True", "Unmanaged", "Unmanaged", false)).hasManagedStorage())
        .hasMessageContaining("spec.storage.managementState is Unmanaged, not Managed");
  }

  @Test
  void conditionsAreNavigatedByTypeNeverByPosition() {
    Config c = config("Managed", "StorageNotConfigured");
    assertThat(c).conditions().singleOfType("Degraded").hasStatus("True").hasReason("StorageNotConfigured");
    assertThatThrownBy(() -> assertThat(c).conditions().singleOfType("Available").hasStatus("True"))
        .hasMessageContaining("condition Available is Available=False (StorageNotConfigured)");
    assertThatThrownBy(() -> assertThat(c).conditions().singleOfType("Progressing"))
        .hasMessageContaining("has no condition Progressing");
    assertThatThrownBy(() -> assertThat(c).conditions().singleOfType("Degraded").hasReason("AsExpected"))
        .hasMessageContaining("expected AsExpected");
  }

  @Test
  void verificationFailedQuotesTheOperator() {
    Config c = config("Managed", "VerificationFailed");
    c.getStatus().getConditions().forEach(x -> x.setMessage("unable to complete resource: duplication of names"));
    assertThatThrownBy(() -> assertThat(c).isNotStuck())
        .isInstanceOf(CheckFailure.class)
        .satisfies(e -> assertThat(((CheckFailure) e).summary()).isEqualTo(
            "the operator rejected the config with VerificationFailed: unable to complete resource: duplication of names"));
  }

  @Test
  void podsMustMountTheClaimAtRegistry() {
    Pod ok = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
        .addNewVolume().withName("registry-storage").withNewPersistentVolumeClaim().withClaimName("internal-registry-pvc")
        .endPersistentVolumeClaim().endVolume()
        .addNewContainer().withName("registry").addNewVolumeMount().withName("registry-storage").withMountPath("/registry")
        .endVolumeMount().endContainer().endSpec().build();
    assertThatPods(List.of(ok)).mountClaim("registry-storage", "internal-registry-pvc", "/registry");
    Pod emptyDir = new PodBuilder(ok).editSpec().editFirstVolume().withPersistentVolumeClaim(null).withNewEmptyDir().endEmptyDir()
        .endVolume().endSpec().build();
    assertThatThrownBy(() -> assertThatPods(List.of(emptyDir)).mountClaim("registry-storage", "internal-registry-pvc", "/registry"))
        .hasMessageContaining("p volume registry-storage comes from no claim, expected internal-registry-pvc");
    Pod elsewhere = new PodBuilder(ok).editSpec().editFirstContainer().editFirstVolumeMount().withMountPath("/data")
        .endVolumeMount().endContainer().endSpec().build();
    assertThatThrownBy(() -> assertThatPods(List.of(elsewhere)).mountClaim("registry-storage", "internal-registry-pvc", "/registry"))
        .hasMessageContaining("p does not mount registry-storage at /registry");
    // a registry on object storage has no storage volume at all: say where it stores instead (its REGISTRY_STORAGE)
    Pod gcs = new PodBuilder(ok).editSpec().withVolumes().editFirstContainer().withVolumeMounts()
        .addNewEnv().withName("REGISTRY_STORAGE").withValue("gcs").endEnv().endContainer().endSpec().build();
    assertThatThrownBy(() -> assertThatPods(List.of(gcs)).mountClaim("registry-storage", "internal-registry-pvc", "/registry"))
        .hasMessageContaining("p has no volume registry-storage (it stores on gcs: REGISTRY_STORAGE=gcs)");
  }

  @Test
  void aClusterOperatorSettlesOnlyWithAllThreeConditionsNormal() {
    var co = new ClusterOperatorBuilder().withNewMetadata().withName("image-registry").endMetadata().withNewStatus()
        .addNewCondition().withType("Available").withStatus("True").withReason("Ready").endCondition()
        .addNewCondition().withType("Progressing").withStatus("True").withReason("DeploymentNotCompleted").endCondition()
        .addNewCondition().withType("Degraded").withStatus("False").withReason("AsExpected").endCondition()
        .endStatus().build();
    assertThatThrownBy(() -> assertThat(co).isSettled()).hasMessageContaining("Progressing=True (DeploymentNotCompleted)");
    co.getStatus().getConditions().get(1).setStatus("False");
    assertThat(co).isSettled();
    // a Removed registry settles too, Available=True with reason Removed (as a single-node 4.13 reports it): no registry
    co.getStatus().getConditions().get(0).setReason("Removed");
    assertThatThrownBy(() -> assertThat(co).isSettled()).hasMessageContaining("Available=True (Removed)")
        .hasMessageContaining("reports the registry removed");
  }

  @Test
  void podsSayWhyTheyAreNotReady() {
    Pod crashing = new PodBuilder().withNewMetadata().withName("image-registry-1").endMetadata()
        .withNewStatus().withPhase("Running").addNewContainerStatus().withName("registry").withRestartCount(3)
        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState().endContainerStatus()
        .endStatus().build();
    assertThat(PodsAssert.crashLooping(crashing)).isTrue();
    assertThatThrownBy(() -> assertThatPods(List.of(crashing)).areRunningAndReady())
        .hasMessageContaining("image-registry-1 is Running, container registry waiting: CrashLoopBackOff");
    assertThatThrownBy(() -> assertThatPods(List.of(crashing)).haveNoRestarts())
        .hasMessageContaining("restarted 3 times (CrashLoopBackOff)");
    assertThatThrownBy(() -> assertThatPods(List.of()).isNotEmpty("docker-registry=default", "openshift-image-registry"))
        .hasMessage("no pods labelled docker-registry=default in openshift-image-registry");
  }

  @Test
  void secretsNeverAppearInEvidence() {
    var secret = new SecretBuilder().withNewMetadata().withName("registry").endMetadata()
        .addToData("tls.key", "c2VjcmV0").build();
    assertThat(Yaml.of(secret)).doesNotContain("c2VjcmV0").contains("tls.key");
  }
}
