package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;

import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.ManagementStateStep;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;

@Conformance(Step.S01)
class S01ManagementStateTest {

  @Check("S01.1")
  void configIsManaged(ManagementStateStep step, RunSession lab) {
    if (step.config().isEmpty()) {
      // 4.14+: a registry left out at install has no config to patch
      assertThat(step.clusterVersion().orElse(null)).enablesCapability("ImageRegistry", "the registry, its config "
          + lab.profile().registry().config() + " and the image-registry cluster operator were never installed, "
          + "so no managementState patch can help");
    }
    assertThat(step.config().orElse(null))
        .exists(lab.profile().registry().config())
        .isManaged();
  }

  @Check("S01.2")
  void operatorHasProcessedTheConfig(RunSession lab) {
    assertThat(new RegistryWaits(lab).configObserved())
        .isObserved()
        .isNotStuck();
  }
}
