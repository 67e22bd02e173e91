package dev.regcheck.lab.kube;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.EventRecorder;
import dev.regcheck.lab.core.WellKnown;

/**
 * kube-controller-manager's PersistentVolume controller (static binding only), plus the
 * DefaultStorageClass admission plugin and its retroactive assignment (k8s 1.28+): a claim with no
 * {@code storageClassName} at all gets the default class before any binding attempt. No dynamic
 * provisioner runs, so a claim for a class never binds.
 *
 * <p>claimRef, as syncVolume and IsVolumeBoundToClaim treat it: a volume with none is Available; a
 * claimRef naming a claim without a uid pre-binds the volume to that claim (Available until the claim
 * comes); a claimRef with a uid is the claim it was bound to, so once no claim has that uid a Retain
 * volume is Released and binds nothing, not even a new claim of the same name (it stays Pending with
 * FailedBinding) until an administrator clears the claimRef. Unlike the real matcher, a pre-bound
 * volume must still fit the claim's class and access modes.
 *
 * <p>Events, worded as k8s 1.29 writes them: class {@code ""} gives Normal {@code FailedBinding}
 * "no persistent volumes available for this claim and no storage class is set"; a class whose
 * provisioner is external gives Normal {@code ExternalProvisioning} "Waiting for a volume to be
 * created either by the external provisioner '<p>' ..."; for {@code nfs.csi.k8s.io} (the driver
 * the PVC_DEFAULT_CLASS fault pretends is installed but misconfigured) the external-provisioner's
 * Warning {@code ProvisioningFailed} "failed to provision volume with StorageClass "<class>": ..."
 * follows; a class that does not exist gives Warning {@code ProvisioningFailed}
 * {@code storageclass.storage.k8s.io "<class>" not found}.
 */
public final class PersistentVolumeBinder implements Controller {
  private static final String COMPONENT = "persistentvolume-controller";

  private final KubernetesClient client;
  private final EventRecorder events;

  public PersistentVolumeBinder(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  @Override
  public void reconcile() {
    List<StorageClass> classes = client.storage().v1().storageClasses().list().getItems();
    Optional<StorageClass> defaultClass = classes.stream().filter(sc -> "true".equals(
        annotations(sc.getMetadata().getAnnotations()).get(WellKnown.DEFAULT_CLASS_ANNOTATION))).findFirst();
    List<PersistentVolume> volumes = client.persistentVolumes().list().getItems();
    List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inAnyNamespace().list()
        .getItems();
    for (PersistentVolume pv : volumes) {
      String phase = pv.getStatus() == null ? null : pv.getStatus().getPhase();
      String wanted = volumePhase(pv, phase);
      if (!wanted.equals(phase)) {
        pv.setStatus(new PersistentVolumeStatusBuilder().withPhase(wanted).build());
        replace(pv);
      }
    }
    for (PersistentVolumeClaim claim : claims) {
      syncClaim(claim, defaultClass, classes, volumes);
    }
    releaseOrphans(volumes, claims);
  }

  private void syncClaim(PersistentVolumeClaim claim, Optional<StorageClass> defaultClass,
      List<StorageClass> classes, List<PersistentVolume> volumes) {
    if (claim.getSpec().getStorageClassName() == null && defaultClass.isPresent()
        && isBlank(claim.getSpec().getVolumeName())) {
      claim.getSpec().setStorageClassName(defaultClass.get().getMetadata().getName());
      claim = client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
          .resource(claim).update();
    }
    if (claim.getStatus() == null || claim.getStatus().getPhase() == null) {
      claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Pending").build());
      claim = replace(claim);
    }
    String claimClass = Objects.requireNonNullElse(claim.getSpec().getStorageClassName(), "");
    if (!isBlank(claim.getSpec().getVolumeName())) {
      if (!"Bound".equals(claim.getStatus().getPhase())) {
        bindPreBound(claim, claimClass, volumes);
      }
      return;
    }
    PersistentVolumeClaim pending = claim;
    Optional<PersistentVolume> match = volumes.stream().filter(pv -> fits(pv, pending, claimClass))
        .min(Comparator.comparing(pv -> bytes(pv.getSpec().getCapacity())));
    if (match.isPresent()) {
      bind(match.get(), claim);
      return;
    }
    reportUnbound(claim, claimClass, classes);
  }

  /**
   * syncUnboundClaim for a claim that names its volume ({@code spec.volumeName}): it binds that
   * volume when the volume is free (or pre-bound to it) and fits; otherwise the claim stays Pending,
   * with FailedBinding when the volume is another claim's and VolumeMismatch when it does not fit
   * (a missing volume leaves it Pending with no event), whatever other volume would fit.
   */
  private void bindPreBound(PersistentVolumeClaim claim, String claimClass, List<PersistentVolume> volumes) {
    String name = claim.getSpec().getVolumeName();
    Optional<PersistentVolume> named = volumes.stream().filter(pv -> pv.getMetadata().getName().equals(name)).findFirst();
    if (named.isEmpty()) {
      return;
    }
    PersistentVolume pv = named.get();
    var ref = pv.getSpec().getClaimRef();
    boolean othersClaim = ref != null && !(Objects.equals(ref.getName(), claim.getMetadata().getName())
        && Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace()));
    if (othersClaim) {
      events.warning(claim, COMPONENT, null, "FailedBinding", "volume \"" + name + "\" already bound to a different claim.");
    } else if (fits(pv, claim, claimClass)) {
      bind(pv, claim);
    } else {
      events.warning(claim, COMPONENT, null, "VolumeMismatch", "Cannot bind to requested volume \"" + name
          + "\": it does not satisfy the claim (storageClassName, accessModes, volumeMode or size)");
    }
  }

  /**
   * syncVolume: no claimRef, or one without a uid (pre-bound), is Available — also for a Released
   * volume whose claimRef an administrator cleared; a uid means Bound (Released below once no claim
   * has it).
   */
  private static String volumePhase(PersistentVolume pv, String phase) {
    if (pv.getSpec().getClaimRef() == null || isBlank(pv.getSpec().getClaimRef().getUid())) {
      return "Available";
    }
    return phase == null ? "Bound" : phase;
  }

  private static boolean fits(PersistentVolume pv, PersistentVolumeClaim claim, String claimClass) {
    String phase = pv.getStatus() == null ? null : pv.getStatus().getPhase();
    if (pv.getSpec().getClaimRef() != null) {
      String uid = pv.getSpec().getClaimRef().getUid();
      boolean preBound = Objects.equals(pv.getSpec().getClaimRef().getName(), claim.getMetadata().getName())
          && Objects.equals(pv.getSpec().getClaimRef().getNamespace(), claim.getMetadata().getNamespace())
          && (isBlank(uid) || uid.equals(claim.getMetadata().getUid()));
      if (!preBound) {
        return false;
      }
    } else if (!"Available".equals(phase)) {
      return false;
    }
    if (!Objects.requireNonNullElse(pv.getSpec().getStorageClassName(), "").equals(claimClass)) {
      return false;
    }
    List<String> pvModes = Objects.requireNonNullElse(pv.getSpec().getAccessModes(), List.of());
    if (!pvModes.containsAll(Objects.requireNonNullElse(claim.getSpec().getAccessModes(), List.of()))) {
      return false;
    }
    String pvMode = Objects.requireNonNullElse(pv.getSpec().getVolumeMode(), "Filesystem");
    String claimMode = Objects.requireNonNullElse(claim.getSpec().getVolumeMode(), "Filesystem");
    if (!pvMode.equals(claimMode)) {
      return false;
    }
    Map<String, Quantity> requests = claim.getSpec().getResources() == null ? Map.of()
        : Objects.requireNonNullElse(claim.getSpec().getResources().getRequests(), Map.of());
    return bytes(pv.getSpec().getCapacity()).compareTo(bytes(requests)) >= 0;
  }

  private void bind(PersistentVolume pv, PersistentVolumeClaim claim) {
    pv.getSpec().setClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim")
        .withApiVersion("v1").withNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName()).withUid(claim.getMetadata().getUid())
        .withResourceVersion(claim.getMetadata().getResourceVersion()).build());
    pv.getMetadata().setAnnotations(with(pv.getMetadata().getAnnotations(),
        "pv.kubernetes.io/bound-by-controller", "yes"));
    pv.setStatus(new PersistentVolumeStatusBuilder().withPhase("Bound").build());
    replace(pv);
    claim.getSpec().setVolumeName(pv.getMetadata().getName());
    Map<String, String> annotations = with(claim.getMetadata().getAnnotations(),
        "pv.kubernetes.io/bind-completed", "yes");
    claim.getMetadata().setAnnotations(with(annotations, "pv.kubernetes.io/bound-by-controller", "yes"));
    claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
        .withAccessModes(pv.getSpec().getAccessModes()).withCapacity(pv.getSpec().getCapacity())
        .build());
    replace(claim);
  }

  private void reportUnbound(PersistentVolumeClaim claim, String claimClass, List<StorageClass> classes) {
    if (claimClass.isEmpty()) {
      events.normal(claim, COMPONENT, null, "FailedBinding",
          "no persistent volumes available for this claim and no storage class is set");
      return;
    }
    Optional<StorageClass> sc = classes.stream()
        .filter(c -> c.getMetadata().getName().equals(claimClass)).findFirst();
    if (sc.isEmpty()) {
      events.warning(claim, COMPONENT, null, "ProvisioningFailed",
          "storageclass.storage.k8s.io \"" + claimClass + "\" not found");
      return;
    }
    String provisioner = sc.get().getProvisioner();
    if ("kubernetes.io/no-provisioner".equals(provisioner)) {
      events.normal(claim, COMPONENT, null, "FailedBinding",
          "no persistent volumes available for this claim and no storage class is set");
      return;
    }
    events.normal(claim, COMPONENT, null, "ExternalProvisioning",
        "Waiting for a volume to be created either by the external provisioner '" + provisioner
            + "' or manually by the system administrator. If volume creation is delayed, please "
            + "verify that the provisioner is running and correctly registered.");
    if (WellKnown.CSI_NFS.equals(provisioner)) {
      Map<String, String> params = Objects.requireNonNullElse(sc.get().getParameters(), Map.of());
      String target = params.getOrDefault("server", "nfs-server") + ":" + params.getOrDefault("share", "/");
      events.warning(claim, WellKnown.CSI_NFS + "_" + "csi-nfs-controller", null, "ProvisioningFailed",
          "failed to provision volume with StorageClass \"" + claimClass + "\": rpc error: code = "
              + "Internal desc = failed to mount nfs server: rpc error: code = Internal desc = mount "
              + "failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs " + target
              + " /tmp/pvc-" + claim.getMetadata().getUid() + "\nOutput: mount.nfs: access denied by "
              + "server while mounting " + target);
    }
  }

  /** A Retain volume whose claim is gone becomes Released (claimRef kept); Delete volumes go. */
  private void releaseOrphans(List<PersistentVolume> volumes, List<PersistentVolumeClaim> claims) {
    Map<String, PersistentVolumeClaim> byUid = new HashMap<>();
    claims.forEach(c -> byUid.put(c.getMetadata().getUid(), c));
    for (PersistentVolume pv : volumes) {
      String phase = pv.getStatus() == null ? null : pv.getStatus().getPhase();
      if (!"Bound".equals(phase) || pv.getSpec().getClaimRef() == null
          || isBlank(pv.getSpec().getClaimRef().getUid())
          || byUid.containsKey(pv.getSpec().getClaimRef().getUid())) {
        continue;
      }
      PersistentVolume current = client.persistentVolumes().withName(pv.getMetadata().getName()).get();
      if (current == null || !"Bound".equals(current.getStatus().getPhase())) {
        continue;
      }
      if ("Delete".equals(current.getSpec().getPersistentVolumeReclaimPolicy())) {
        client.persistentVolumes().withName(pv.getMetadata().getName()).delete();
      } else {
        current.setStatus(new PersistentVolumeStatusBuilder().withPhase("Released").build());
        replace(current);
      }
    }
  }

  private PersistentVolume replace(PersistentVolume pv) {
    return client.persistentVolumes().resource(pv).update();
  }

  private PersistentVolumeClaim replace(PersistentVolumeClaim claim) {
    return client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
        .resource(claim).update();
  }

  private static BigDecimal bytes(Map<String, Quantity> resources) {
    Quantity storage = resources == null ? null : resources.get("storage");
    return storage == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(storage);
  }

  private static Map<String, String> annotations(Map<String, String> annotations) {
    return annotations == null ? Map.of() : annotations;
  }

  private static Map<String, String> with(Map<String, String> map, String key, String value) {
    Map<String, String> copy = map == null ? new HashMap<>() : new HashMap<>(map);
    copy.put(key, value);
    return copy;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }
}
