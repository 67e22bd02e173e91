package dev.regcheck.assertions;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Assertions on the registry's claim (S04). */
public final class PersistentVolumeClaimAssert extends DomainAssert<PersistentVolumeClaimAssert, PersistentVolumeClaim> {

  PersistentVolumeClaimAssert(PersistentVolumeClaim pvc) {
    super(pvc, PersistentVolumeClaimAssert.class);
  }

  public PersistentVolumeClaimAssert exists(String namespace, String name) {
    return present("PersistentVolumeClaim " + namespace + "/" + name);
  }

  /**
   * ReadWriteMany, a request the PV can hold, and the PV's storage class (both empty). A claim that
   * took a default StorageClass is named as the trap it is. {@code pv} may be null (not created).
   */
  public PersistentVolumeClaimAssert matches(PersistentVolume pv) {
    var spec = actual.getSpec();
    List<String> d = new ArrayList<>();
    List<String> modes = spec.getAccessModes() == null ? List.of() : spec.getAccessModes();
    if (!modes.contains("ReadWriteMany")) {
      d.add("access modes " + modes + " lack ReadWriteMany");
    }
    String claimClass = spec.getStorageClassName();
    if (pv != null) {
      Quantity cap = pv.getSpec().getCapacity() == null ? null : pv.getSpec().getCapacity().get("storage");
      Quantity req = spec.getResources() == null || spec.getResources().getRequests() == null
          ? null : spec.getResources().getRequests().get("storage");
      if (req == null) {
        d.add("no storage request");
      } else if (cap != null && Quantity.getAmountInBytes(req).compareTo(Quantity.getAmountInBytes(cap)) > 0) {
        d.add("request " + req + " exceeds PersistentVolume " + pv.getMetadata().getName() + "'s capacity " + cap);
      }
      String pvClass = emptyToNull(pv.getSpec().getStorageClassName());
      if (!Objects.equals(emptyToNull(claimClass), pvClass)) {
        d.add(classMismatch(claimClass, pvClass, pv.getMetadata().getName()));
      }
    } else if (emptyToNull(claimClass) != null) {
      d.add(classMismatch(claimClass, null, "(none yet)"));
    }
    noDeviations("PersistentVolumeClaim " + actual.getMetadata().getName() + " deviates", d);
    return this;
  }

  private static String classMismatch(String claimClass, String pvClass, String pvName) {
    if (pvClass == null) {
      return "storageClassName is '" + claimClass + "' (a default StorageClass was filled in because the claim did not "
          + "say storageClassName: \"\"), but PersistentVolume " + pvName + " has none, so they can never bind";
    }
    return "storageClassName '" + claimClass + "' differs from PersistentVolume " + pvName + "'s '" + pvClass + "'";
  }

  public PersistentVolumeClaimAssert isBoundTo(String pvName) {
    String phase = phase();
    String who = "PersistentVolumeClaim " + actual.getMetadata().getName();
    check("Bound".equals(phase), who + " is " + phase + ", not Bound");
    check(pvName.equals(actual.getSpec().getVolumeName()),
        who + " is bound to volume " + actual.getSpec().getVolumeName() + ", not " + pvName);
    return this;
  }

  public String phase() {
    return actual.getStatus() == null ? null : actual.getStatus().getPhase();
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
