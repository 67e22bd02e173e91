package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.assertions.Yaml;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.StorageBackendStep;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.junit.Needs;
import dev.regcheck.session.RunSession;
import dev.regcheck.fixture.RegistryWaits;
import dev.regcheck.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
  void clusterOperatorHasSettled(RunSession lab) {
    assertThat(new RegistryWaits(lab).operatorSettled())
        .isSettled();
  }

  @Check("S05.4")
  void operatorIsNotHotLooping(StorageBackendStep step, RunSession lab) {
    // As CIRO's EnsureOperatorIsNotHotLooping: the config's resourceVersion must stay unchanged
    // for one whole window. Rewrites with no spec change (same generation) that keep coming are a
    // hot loop: after HOT_LOOP_REWRITES of them the check ends without waiting out the timeout.
    Duration window = lab.profile().timeouts().hotLoopWindow();
    List<String> versions = new ArrayList<>();
    Set<Long> generations = new HashSet<>();
    long[] lastChange = {System.nanoTime()};
    Wait.named("the config's resourceVersion to stay unchanged for " + window.toSeconds() + "s",
            () -> step.config().orElse(null))
        .until(c -> {
          String v = c == null ? null : c.getMetadata().getResourceVersion();
          if (versions.isEmpty() || !Objects.equals(v, versions.get(versions.size() - 1))) {
            versions.add(v);
            generations.add(c == null ? null : c.getMetadata().getGeneration());
            lastChange[0] = System.nanoTime();
          }
          return Duration.ofNanos(System.nanoTime() - lastChange[0]).compareTo(window) >= 0;
        })
        .failFastWhen(c -> versions.size() > HOT_LOOP_REWRITES && generations.size() == 1
            ? Optional.of("the operator rewrote the config " + (versions.size() - 1) + " times with no spec change "
                + "(generation " + generations.iterator().next() + "): it is hot-looping")
            : Optional.empty())
        .describedBy(c -> "the operator rewrote the config " + (versions.size() - 1) + " times (resourceVersions "
            + versions + ")")
        .withEvidence(c -> List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(c))))
        .within(lab.profile().timeouts().settle().plus(window), lab.profile().timeouts().poll())
        .await();
  }

  /** Status rewrites with an unchanged spec that make a hot loop (a settling operator writes a few). */
  static final int HOT_LOOP_REWRITES = 5;
}
