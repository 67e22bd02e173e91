package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThatPods;

import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.ManagementStateStep;
import dev.regcheck.fixture.RegistryPodStep;
import dev.regcheck.junit.Blocked;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

@Conformance(Step.S06)
class S06RegistryPodTest {

  /**
   * The pods are looked at whatever the management state, so that an Unmanaged registry whose
   * deployment was edited is still seen; only a Removed registry has no pods to look at.
   */
  static void registryIsNotRemoved(ManagementStateStep step) {
    step.config().filter(c -> "Removed".equals(c.getSpec().getManagementState())).ifPresent(c -> {
      throw Blocked.by("S01.1", "the registry is Removed, so no registry pods run");
    });
  }

  @Check("S06.1")
  void podsAreRunningAndReady(ManagementStateStep state, RunSession lab) {
    registryIsNotRemoved(state);
    List<Pod> pods = new RegistryWaits(lab).podsReady();
    var config = new RegistryWaits(lab).configObserved();
    Integer ready = config.getStatus().getReadyReplicas();
    assertThatPods(pods)
        .isNotEmpty(lab.profile().registry().podSelector(), lab.profile().registry().namespace())
        .areRunningAndReady()
        .hasCount(config.getSpec().getReplicas(), "spec.replicas of the registry config")
        .hasCount(ready == null ? 0 : ready, "status.readyReplicas of the registry config");
  }

  @Check("S06.2")
  void podsMountTheClaim(ManagementStateStep config, RegistryPodStep step, RunSession lab) {
    registryIsNotRemoved(config);
    assertThatPods(step.pods())
        .isNotEmpty(lab.profile().registry().podSelector(), lab.profile().registry().namespace())
        .mountClaim("registry-storage", lab.profile().storage().claim(), "/registry");
  }

  @Check("S06.3")
  void containersHaveNotRestarted(ManagementStateStep config, RegistryPodStep step, RunSession lab) {
    registryIsNotRemoved(config);
    List<Pod> pods = step.pods();
    var check = assertThatPods(pods)
        .isNotEmpty(lab.profile().registry().podSelector(), lab.profile().registry().namespace());
    for (Pod p : pods) {
      check.withEvidence(p.getMetadata().getName() + "-log.txt", step.logTail(p, 30));
    }
    check.haveNoRestarts();
  }
}
