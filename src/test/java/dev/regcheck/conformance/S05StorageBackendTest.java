package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.assertions.Yaml;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.StorageBackendStep;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.junit.LabSession;
import dev.regcheck.wait.RegistryWaits;
import dev.regcheck.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@Conformance(Step.S05)
class S05StorageBackendTest {

  @Check("S05.1")
  void storageIsTheClaim(StorageBackendStep step, LabSession lab) {
    assertThat(step.config().orElse(null))
        .exists(lab.profile().registry().config())
        .hasOnlyClaim(lab.profile().storage().claim());
  }

  @Check("S05.2")
  void operatorAppliedTheStorage(LabSession lab) {
    assertThat(new RegistryWaits(lab).storageReported())
        .hasStorageApplied(lab.profile().storage().claim());
  }

  @Check("S05.3")
  void clusterOperatorHasSettled(LabSession lab) {
    assertThat(new RegistryWaits(lab).operatorSettled())
        .isSettled();
  }

  @Check("S05.4")
  void operatorIsNotHotLooping(StorageBackendStep step, LabSession lab) {
    // As CIRO's EnsureOperatorIsNotHotLooping: within the settle timeout, the config's
    // resourceVersion must stay unchanged for one whole window.
    Duration window = lab.profile().timeouts().hotLoopWindow();
    List<String> versions = new ArrayList<>();
    long[] lastChange = {System.nanoTime()};
    Wait.named("the config's resourceVersion to stay unchanged for " + window.toSeconds() + "s",
            () -> step.config().map(c -> c.getMetadata().getResourceVersion()).orElse(null))
        .until(v -> {
          if (versions.isEmpty() || !Objects.equals(v, versions.get(versions.size() - 1))) {
            versions.add(v);
            lastChange[0] = System.nanoTime();
          }
          return Duration.ofNanos(System.nanoTime() - lastChange[0]).compareTo(window) >= 0;
        })
        .describedBy(v -> "the operator rewrote the config " + (versions.size() - 1) + " times (resourceVersions "
            + versions + ")")
        .withEvidence(v -> List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(step.config().orElse(null)))))
        .within(lab.profile().timeouts().settle().plus(window), lab.profile().timeouts().poll())
        .await();
  }
}
