package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;

import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.PersistentVolumeClaimStep;
import dev.regcheck.fixture.PersistentVolumeStep;
import dev.regcheck.junit.Blocked;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Needs;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;
import dev.regcheck.wait.Wait;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.util.Optional;

@Conformance(Step.S03)
class S03PersistentVolumeTest {

  @Check("S03.1")
  void volumeMatchesTheProfile(PersistentVolumeStep step, RunSession lab) {
    assertThat(step.volume().orElse(null))
        .exists(lab.profile().storage().pvName())
        .conformsTo(lab.profile());
  }

  @Check("S03.2")
  void volumeIsBoundToTheClaim(PersistentVolumeStep step, PersistentVolumeClaimStep claim, RunSession lab) {
    String ns = lab.profile().registry().namespace();
    String pvc = lab.profile().storage().pvcName();
    RegistryWaits waits = new RegistryWaits(lab);
    Needs.present(lab, "S03.2", step.volume().isPresent(), "PersistentVolume " + lab.profile().storage().pvName());
    // An unbound PV is waiting for its claim: when the claim is missing or stuck, that is S04's failure.
    PersistentVolume pv = Wait.named("PersistentVolume " + lab.profile().storage().pvName() + " to be Bound",
            () -> step.volume().orElse(null))
        .until(v -> v != null && v.getStatus() != null && !"Available".equals(v.getStatus().getPhase())
            && !"Pending".equals(v.getStatus().getPhase()))
        .failFastWhen(v -> {
          String phase = v == null || v.getStatus() == null ? null : v.getStatus().getPhase();
          if (v != null && !"Available".equals(phase) && !"Pending".equals(phase)) {
            return Optional.empty(); // Bound or Released: judged below, not by the claim
          }
          var c = claim.claim();
          if (c.isEmpty()) {
            throw Blocked.by("S04.1", "claim " + ns + "/" + pvc + " does not exist, so nothing can bind the volume");
          }
          Optional<String> stuck = waits.claimStuck(c.get());
          if (stuck.isPresent()) {
            throw Blocked.by("S04.2", stuck.get());
          }
          // a claim binds once: bound to another volume, it never comes to this one
          String other = c.get().getSpec().getVolumeName();
          boolean bound = c.get().getStatus() != null && "Bound".equals(c.get().getStatus().getPhase());
          if (bound && other != null && !other.equals(lab.profile().storage().pvName())) {
            return Optional.of("claim " + ns + "/" + pvc + " is Bound to volume " + other + ", so PersistentVolume "
                + lab.profile().storage().pvName() + " stays " + phase + " and will never bind to it; delete the "
                + "claim (and " + other + " if it is an old attempt) and create the claim again");
          }
          return Optional.empty();
        })
        .describedBy(v -> v == null ? "absent" : "phase " + (v.getStatus() == null ? null : v.getStatus().getPhase()))
        .within(lab.profile().timeouts().settle(), lab.profile().timeouts().poll())
        .await();
    assertThat(pv).isBoundTo(ns, pvc);
  }
}
