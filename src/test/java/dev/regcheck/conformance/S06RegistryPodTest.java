package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThatPods;

import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.RegistryPodStep;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Needs;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

@Conformance(Step.S06)
class S06RegistryPodTest {

  /**
   * The pods are looked at whatever the management state, so that an Unmanaged registry whose
   * deployment was edited is still seen; only when there is no deployment and the operator had a
   * reason not to make one (Removed, a rejected config, storage not applied) is the check BLOCKED.
   */
  static void registryIsDeployed(String check, RegistryPodStep step, RunSession lab) {
    Needs.present(lab, check, step.deployment().isPresent() || !step.listedPods().isEmpty(),
        "deployment " + lab.profile().registry().deployment());
  }

  @Check("S06.1")
  void podsAreRunningAndReady(RegistryPodStep step, RunSession lab) {
    registryIsDeployed("S06.1", step, lab);
    List<Pod> pods = new RegistryWaits(lab).podsReady();
    var config = new RegistryWaits(lab).configObserved();
    // the deployment counts ready pods; the config's status.readyReplicas does not reliably (real 4.4 and 4.7
    // clusters report 0 while Available=True, Ready), so it is no part of the verdict
    Integer ready = step.deployment().map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas())
        .orElse(null);
    assertThatPods(pods)
        .isNotEmpty(lab.profile().registry().podSelector(), lab.profile().registry().namespace())
        .areRunningAndReady()
        .hasCount(config.getSpec().getReplicas(), "spec.replicas of the registry config")
        .hasCount(ready == null ? 0 : ready, "status.readyReplicas of deployment " + lab.profile().registry().deployment());
    List<String> others = step.notJudged();
    if (!others.isEmpty()) {
      lab.note("also listed, not the registry's current pods: " + String.join(", ", others));
    }
  }

  @Check("S06.2")
  void podsMountTheClaim(RegistryPodStep step, RunSession lab) {
    registryIsDeployed("S06.2", step, lab);
    assertThatPods(step.pods())
        .isNotEmpty(lab.profile().registry().podSelector(), lab.profile().registry().namespace())
        .mountClaim("registry-storage", lab.profile().storage().claim(), "/registry");
  }

  @Check("S06.3")
  void containersHaveNotRestarted(RegistryPodStep step, RunSession lab) {
    registryIsDeployed("S06.3", step, lab);
    List<Pod> pods = step.pods();
    var check = assertThatPods(pods)
        .isNotEmpty(lab.profile().registry().podSelector(), lab.profile().registry().namespace());
    for (Pod p : pods) {
      check.withEvidence(p.getMetadata().getName() + "-log.txt", step.logTail(p, 30));
    }
    check.haveNoRestarts();
  }
}
