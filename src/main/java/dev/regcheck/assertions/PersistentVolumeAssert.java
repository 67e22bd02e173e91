package dev.regcheck.assertions;

import dev.regcheck.profile.LabProfile;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Assertions on the registry's NFS PersistentVolume (S03). */
public final class PersistentVolumeAssert extends DomainAssert<PersistentVolumeAssert, PersistentVolume> {

  PersistentVolumeAssert(PersistentVolume pv) {
    super(pv, PersistentVolumeAssert.class);
  }

  public PersistentVolumeAssert exists(String name) {
    return present("PersistentVolume " + name);
  }

  /**
   * Capacity, access mode and NFS source as the profile says, and reclaim policy Retain as the
   * document requires (Delete would erase the registry's images with the claim); names every deviation.
   */
  public PersistentVolumeAssert conformsTo(LabProfile p) {
    var spec = actual.getSpec();
    List<String> d = new ArrayList<>();
    Quantity cap = spec.getCapacity() == null ? null : spec.getCapacity().get("storage");
    if (cap == null) {
      d.add("no storage capacity");
    } else if (Quantity.getAmountInBytes(cap).compareTo(Quantity.getAmountInBytes(new Quantity(p.storage().capacity()))) < 0) {
      d.add("capacity " + cap + " is less than " + p.storage().capacity());
    }
    List<String> modes = spec.getAccessModes() == null ? List.of() : spec.getAccessModes();
    if (!modes.contains("ReadWriteMany")) {
      d.add("access modes " + modes + " lack ReadWriteMany");
    }
    if (!"Retain".equals(spec.getPersistentVolumeReclaimPolicy())) {
      d.add("reclaim policy " + spec.getPersistentVolumeReclaimPolicy() + ", expected Retain");
    }
    if (spec.getNfs() == null) {
      d.add("not an NFS volume");
    } else {
      if (!Objects.equals(p.nfs().server(), spec.getNfs().getServer())) {
        d.add("nfs.server " + spec.getNfs().getServer() + ", expected " + p.nfs().server());
      }
      if (!Objects.equals(p.nfs().path(), spec.getNfs().getPath())) {
        d.add("nfs.path " + spec.getNfs().getPath() + ", expected " + p.nfs().path());
      }
    }
    noDeviations("PersistentVolume " + actual.getMetadata().getName() + " deviates from the profile", d);
    return this;
  }

  /** Bound, and to this claim. Released and bound-elsewhere are told apart. */
  public PersistentVolumeAssert isBoundTo(String namespace, String claim) {
    String phase = actual.getStatus() == null ? null : actual.getStatus().getPhase();
    ObjectReference ref = actual.getSpec().getClaimRef();
    String boundTo = ref == null ? null : ref.getNamespace() + "/" + ref.getName();
    String pv = "PersistentVolume " + actual.getMetadata().getName();
    if ("Released".equals(phase)) {
      throw failure(pv + " is Released: its claim " + boundTo + " was deleted, and with reclaim policy Retain it keeps "
          + "the old claimRef and binds nothing until an administrator clears spec.claimRef (the data stays on NFS)");
    }
    check("Bound".equals(phase), pv + " is " + phase + ", not Bound");
    check((namespace + "/" + claim).equals(boundTo), pv + " is bound to " + boundTo + ", not " + namespace + "/" + claim);
    return this;
  }
}
