package dev.regcheck.lab.operators;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStorage;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStorageEmptyDir;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStoragePVC;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import dev.regcheck.lab.core.WellKnown;

/**
 * CIRO's storage sync (pkg/resource/generator.go syncStorage, pkg/storage/storage.go, and the PVC
 * driver pkg/storage/pvc/pvc.go). Only emptyDir and PVC can be served by the lab; a cloud backend
 * is reported as a retriable error because the lab has no cloud.
 */
public final class RegistryStorage {
  static final String DEFAULT_CLAIM = "image-registry-storage";
  static final String OWNER_ANNOTATION = "imageregistry.openshift.io";

  /** The storage the Deployment mounts: a claim, or an emptyDir when {@code claim} is null. */
  public record Choice(String claim) {
    boolean emptyDir() {
      return claim == null;
    }
  }

  private final KubernetesClient client;
  private final String namespace;

  RegistryStorage(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  Choice sync(Config cr, DesiredConditions conditions) throws OperatorError {
    ImageRegistryConfigStorage spec = cr.getSpec().getStorage();
    List<String> types = configuredTypes(spec);
    if (types.isEmpty()) {
      // bare metal: the platform has no default storage (storage.go getPlatformStorage)
      throw OperatorError.permanent(ImageRegistryOperator.STORAGE_NOT_CONFIGURED, "storage backend not configured");
    }
    if (types.size() > 1) {
      throw OperatorError.retriable("unable to sync storage configuration: exactly one storage type "
          + "should be configured at the same time, got " + types.size() + ": [" + String.join(" ", types) + "]");
    }
    ImageRegistryStatus status = cr.getStatus();
    if (status.getStorage() == null) {
      status.setStorage(new ImageRegistryConfigStorage());
    }
    if (spec.getPvc() != null && blank(spec.getPvc().getClaim()) && blank(spec.getManagementState())) {
      spec.setManagementState("Managed"); // the operator creates (and so manages) the default claim
    }
    mirrorManagementState(spec, status);
    if (spec.getEmptyDir() != null) {
      status.getStorage().setEmptyDir(new ImageRegistryConfigStorageEmptyDir());
      return new Choice(null);
    }
    if (spec.getPvc() == null) {
      throw OperatorError.retriable("unable to sync storage configuration: " + types.get(0)
          + " storage cannot be reached from the embedded lab");
    }
    try {
      return new Choice(syncPvc(cr, conditions));
    } catch (OperatorError e) {
      throw OperatorError.retriable("unable to sync storage configuration: " + e.getMessage());
    }
  }

  /** The "bz 1833109" migration in generator.Apply. */
  private static void mirrorManagementState(ImageRegistryConfigStorage spec, ImageRegistryStatus status) {
    if (blank(spec.getManagementState())) {
      spec.setManagementState(Boolean.TRUE.equals(status.getStorageManaged()) ? "Managed" : "Unmanaged");
    }
    status.setStorageManaged("Managed".equals(spec.getManagementState()));
    if (status.getStorage() == null) {
      status.setStorage(new ImageRegistryConfigStorage());
    }
    status.getStorage().setManagementState(spec.getManagementState());
  }

  private String syncPvc(Config cr, DesiredConditions conditions) throws OperatorError {
    ImageRegistryConfigStoragePVC specPvc = cr.getSpec().getStorage().getPvc();
    boolean runCreate;
    ImageRegistryConfigStoragePVC statusPvc = cr.getStatus().getStorage().getPvc();
    if (!Objects.equals(claimOf(statusPvc), claimOf(specPvc)) || statusPvc == null) {
      conditions.set(WellKnown.STORAGE_EXISTS, "Unknown", "PVC Configuration Changed",
          "PVC storage is in an old state");
      runCreate = true;
    } else {
      runCreate = !storageExists(specPvc.getClaim(), conditions);
    }
    if (runCreate) {
      createStorage(cr, specPvc, conditions);
    }
    return specPvc.getClaim();
  }

  private boolean storageExists(String claim, DesiredConditions conditions) {
    if (!blank(claim) && get(claim) != null) {
      conditions.set(WellKnown.STORAGE_EXISTS, "True", "PVC Exists", "");
      return true;
    }
    conditions.set(WellKnown.STORAGE_EXISTS, "False", "PVC does not exist", "");
    return false;
  }

  private void createStorage(Config cr, ImageRegistryConfigStoragePVC specPvc,
      DesiredConditions conditions) throws OperatorError {
    PersistentVolumeClaim claim = null;
    if (blank(specPvc.getClaim())) {
      specPvc.setClaim(DEFAULT_CLAIM);
      claim = get(DEFAULT_CLAIM);
      if (claim != null) {
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(OWNER_ANNOTATION)) {
          String message = "could not create default PVC, it already exists and is not owned by the operator";
          conditions.set(WellKnown.STORAGE_EXISTS, "False", "PVC Already Exists", message);
          throw OperatorError.retriable(message);
        }
      } else {
        claim = client.persistentVolumeClaims().inNamespace(namespace).resource(defaultClaim()).create();
        conditions.set(WellKnown.STORAGE_EXISTS, "True", "PVC Created", "");
      }
    } else {
      conditions.set(WellKnown.STORAGE_EXISTS, "True", "PVC Exists", "");
    }
    String problem = checkPvc(cr, specPvc.getClaim(), claim);
    if (problem != null) {
      conditions.set(WellKnown.STORAGE_EXISTS, "False", "PVC Issues Found", problem);
      throw OperatorError.retriable(problem);
    }
    ImageRegistryConfigStoragePVC applied = new ImageRegistryConfigStoragePVC();
    applied.setClaim(specPvc.getClaim());
    cr.getStatus().getStorage().setPvc(applied);
  }

  /** checkPVC: RWX always works; RWO only with one replica and the Recreate strategy. */
  private String checkPvc(Config cr, String name, PersistentVolumeClaim claim) {
    if (claim == null) {
      claim = get(name);
      if (claim == null) {
        return "persistentvolumeclaims \"" + name + "\" not found";
      }
    }
    List<String> modes = claim.getSpec().getAccessModes() == null ? List.of()
        : claim.getSpec().getAccessModes();
    if (modes.contains("ReadWriteMany")) {
      return null;
    }
    if (modes.contains("ReadWriteOnce")) {
      int replicas = cr.getSpec().getReplicas() == null ? 0 : cr.getSpec().getReplicas();
      if (replicas > 1) {
        return "cannot use ReadWriteOnce access mode with more than one replica of the image registry";
      }
      String strategy = cr.getSpec().getRolloutStrategy() == null ? "" : cr.getSpec().getRolloutStrategy();
      if (!strategy.equals("Recreate")) {
        return "cannot use ReadWriteOnce access mode with " + strategy + " rollout strategy";
      }
      return null;
    }
    return "PVC " + name + " does not contain the necessary access modes: ReadWriteMany or ReadWriteOnce";
  }

  /** RemoveStorage: only a claim the operator manages is deleted. */
  void remove(Config cr) {
    ImageRegistryStatus status = cr.getStatus();
    String claim = status.getStorage() == null ? null : claimOf(status.getStorage().getPvc());
    if (!Boolean.TRUE.equals(status.getStorageManaged()) || blank(claim)) {
      return;
    }
    client.persistentVolumeClaims().inNamespace(namespace).withName(claim).delete();
  }

  private PersistentVolumeClaim defaultClaim() {
    return new PersistentVolumeClaimBuilder().withNewMetadata().withName(DEFAULT_CLAIM)
        .withNamespace(namespace).addToAnnotations(OWNER_ANNOTATION, "true").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteMany").withNewResources()
        .addToRequests("storage", new Quantity("100Gi")).endResources().endSpec().build();
  }

  private PersistentVolumeClaim get(String name) {
    return client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
  }

  static List<String> configuredTypes(ImageRegistryConfigStorage s) {
    List<String> names = new ArrayList<>();
    if (s == null) {
      return names;
    }
    if (s.getEmptyDir() != null) {
      names.add("EmptyDir");
    }
    if (s.getS3() != null) {
      names.add("S3");
    }
    if (s.getSwift() != null) {
      names.add("Swift");
    }
    if (s.getGcs() != null) {
      names.add("GCS");
    }
    if (s.getPvc() != null) {
      names.add("PVC");
    }
    if (s.getAzure() != null) {
      names.add("Azure");
    }
    if (s.getIbmcos() != null) {
      names.add("IBMCOS");
    }
    if (s.getOss() != null) {
      names.add("OSS");
    }
    return names;
  }

  private static String claimOf(ImageRegistryConfigStoragePVC pvc) {
    return pvc == null ? null : pvc.getClaim() == null ? "" : pvc.getClaim();
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}
