package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;

import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.PersistentVolumeClaimStep;
import dev.regcheck.fixture.PersistentVolumeStep;
import dev.regcheck.junit.Blocked;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;

@Conformance(Step.S04)
class S04PersistentVolumeClaimTest {

  @Check("S04.1")
  void claimMatchesTheVolume(PersistentVolumeClaimStep claim, PersistentVolumeStep volume, RunSession lab) {
    assertThat(claim.claim().orElse(null))
        .exists(lab.profile().registry().namespace(), lab.profile().storage().pvcName())
        .matches(volume.volume().orElse(null));
  }

  @Check("S04.2")
  void claimIsBound(PersistentVolumeClaimStep claim, RunSession lab) {
    if (claim.claim().isEmpty()) {
      throw Blocked.by("S04.1", "claim " + lab.profile().storage().pvcName() + " does not exist");
    }
    assertThat(new RegistryWaits(lab).claimBound())
        .isBoundTo(lab.profile().storage().pvName());
  }
}
