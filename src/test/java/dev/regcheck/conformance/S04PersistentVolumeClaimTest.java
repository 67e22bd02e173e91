package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;

import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.PersistentVolumeClaimStep;
import dev.regcheck.fixture.PersistentVolumeStep;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Needs;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;

@Conformance(Step.S04)
class S04PersistentVolumeClaimTest {

  @Check("S04.1")
  void claimMatchesTheVolume(PersistentVolumeClaimStep claim, PersistentVolumeStep volume, RunSession lab) {
    Needs.present(lab, "S04.1", claim.namespaceExists(), "namespace " + lab.profile().registry().namespace());
    assertThat(claim.claim().orElse(null))
        .exists(lab.profile().registry().namespace(), lab.profile().storage().pvcName())
        .matches(volume.volume().orElse(null));
  }

  @Check("S04.2")
  void claimIsBound(PersistentVolumeClaimStep claim, RunSession lab) {
    Needs.present(lab, "S04.2", claim.claim().isPresent(), "claim " + lab.profile().storage().pvcName());
    assertThat(new RegistryWaits(lab).claimBound())
        .isBoundTo(lab.profile().storage().pvName());
  }
}
