package dev.regcheck.conformance;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.assertions.Yaml;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.ConfigWatch;
import dev.regcheck.fixture.StorageBackendStep;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.wait.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * S05.4 on its own, after every other suite: the config has been watched since S05.3 saw the
 * operator settle (a run that did not select S05.3 starts watching here), so the window has
 * mostly run while the other checks did and is waited out only for what is left.
 */
@Conformance(value = Step.S05, last = true)
class S05HotLoopTest {

  @Check("S05.4")
  void operatorIsNotHotLooping(StorageBackendStep step, RunSession lab) {
    // As CIRO's EnsureOperatorIsNotHotLooping: the config's resourceVersion must stay unchanged
    // for one whole window. Rewrites with no spec change (same generation) that keep coming are a
    // hot loop: after HOT_LOOP_REWRITES of them in a row the check ends without waiting out the timeout.
    Duration window = lab.profile().timeouts().hotLoopWindow();
    try (ConfigWatch watch = step.watch()) {
      Wait.named("the config's resourceVersion to stay unchanged for " + window.toSeconds() + "s", watch::seen)
          .until(seen -> seen.quietFor().compareTo(window) >= 0)
          .failFastWhen(seen -> hotLoop(seen.burst(window)))
          .describedBy(seen -> "the operator rewrote the config " + seen.rewrites() + " times (resourceVersions "
              + seen.resourceVersions() + ")")
          .withEvidence(seen -> List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(seen.latest()))))
          .within(lab.profile().timeouts().settle().plus(window), lab.profile().timeouts().poll())
          .await();
    }
  }

  /**
   * More than HOT_LOOP_REWRITES rewrites in a row, none a window apart, with no spec change: the watch
   * spans the other checks, so rewrites spread over the run with quiet windows between them do not add up.
   */
  static Optional<String> hotLoop(List<ConfigWatch.Version> burst) {
    int rewrites = burst.size() - 1;
    return rewrites > HOT_LOOP_REWRITES && burst.stream().map(ConfigWatch.Version::generation).distinct().count() == 1
        ? Optional.of("the operator rewrote the config " + rewrites + " times with no spec change (generation "
            + burst.get(0).generation() + "): it is hot-looping")
        : Optional.empty();
  }

  /** Status rewrites with an unchanged spec that make a hot loop (a settling operator writes a few). */
  static final int HOT_LOOP_REWRITES = 5;
}
