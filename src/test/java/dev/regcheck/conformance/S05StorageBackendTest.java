package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;

import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.StorageBackendStep;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.junit.Needs;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;

@Conformance(Step.S05)
class S05StorageBackendTest {

  @Check("S05.1")
  void storageIsTheClaim(StorageBackendStep step, RunSession lab) {
    Needs.present(lab, "S05.1", step.config().isPresent(), "configs.imageregistry.operator.openshift.io/"
        + lab.profile().registry().config());
    assertThat(step.config().orElse(null))
        .exists(lab.profile().registry().config())
        .hasOnlyClaim(lab.profile().storage().claim());
  }

  @Check("S05.2")
  void operatorAppliedTheStorage(RunSession lab) {
    assertThat(new RegistryWaits(lab).storageReported())
        .hasStorageApplied(lab.profile().storage().claim());
  }

  @Check("S05.3")
  void clusterOperatorHasSettled(StorageBackendStep step, RunSession lab) {
    assertThat(new RegistryWaits(lab).operatorSettled())
        .isSettled();
    // S05.4's window starts once the operator has settled and runs while the other suites do
    step.watchFromNow();
  }
}
