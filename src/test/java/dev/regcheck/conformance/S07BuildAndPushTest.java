package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;

import dev.regcheck.catalog.Step;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;

@Conformance(Step.S07)
class S07BuildAndPushTest {

  @Check("S07.1")
  void storageIsManaged(RunSession lab) {
    assertThat(new RegistryWaits(lab).configObserved()).hasManagedStorage();
    lab.note("⚠ warning: with Managed storage, switching the registry to Removed deletes PVC "
        + lab.profile().storage().claim() + ", and the Retain PV " + lab.profile().storage().pvName() + " becomes Released");
  }
}
