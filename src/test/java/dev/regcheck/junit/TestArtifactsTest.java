package dev.regcheck.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Lang;
import dev.regcheck.client.ClusterClients;
import dev.regcheck.cli.Labs;
import dev.regcheck.fixture.RegistryAccessStep;
import dev.regcheck.fixture.TestArtifacts;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.registry.TestImage;
import dev.regcheck.session.Mode;
import dev.regcheck.run.RunOptions;
import dev.regcheck.run.SuiteRunner;
import io.fabric8.openshift.api.model.ImageStream;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.regcheck.session.RunSession;
import org.awaitility.Awaitility;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * The run's test artifacts go, and only they: the clean-up removes the run's tag, its Image and
 * the stream it created while leaving a tag the run did not push; a later run removes a killed
 * run's stale tags (older than 30 minutes) and keeps a fresh one that may belong to a run still
 * going.
 */
@EmbeddedLabTest(classLab = false)
class TestArtifactsTest {
  static final Path SANDBOX = Path.of("profiles/sandbox.yaml");

  @Test
  @DisplayName("clean-up removes exactly what the run pushed; stale run tags of killed runs go, fresh ones stay")
  void cleanUpAndStaleRemoval(@TempDir Path dir, TestLabs labs) throws Exception {
    LabProfile base = new ProfileLoader(Map.of(), Map.of()).load(SANDBOX);
    try (EmbeddedLab lab = labs.start(Labs.settings(base), EnumSet.noneOf(Fault.class))) {
      // the procedure, so that a registry runs (S01-S07 in apply mode)
      SuiteRunner.run(new RunOptions(SANDBOX, lab.profileOverrides(), Mode.APPLY,
          Lang.EN, Set.of(), "S01.*,S03.*,S04.*,S05.*,S06.*,S07.*", Set.of(), dir.resolve("r")), r -> { });
      LabProfile p = new ProfileLoader(Map.of(), lab.profileOverrides()).load(SANDBOX);
      try (OpenShiftClient client = ClusterClients.connect(p, false)) {
        String old = "regcheck-" + LocalDateTime.now(ZoneOffset.UTC).minusHours(2)
            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-0a0b";
        String fresh = "regcheck-" + LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1)
            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-0c0d";
        // each session closes its own client
        // each session closes its own client
        try (RunSession first = new RunSession(p, Mode.VERIFY, Lang.EN, List.of(), null, ClusterClients.connect(p, false))) {
          // someone else's tag, and a killed run's two tags, one old, one fresh (each its own image)
          var user = new RegistryAccessStep(first).client();
          TestImage.build(TestImage.Format.DOCKER, "user").push(user, "openshift/hello-world", "users-own");
          TestImage.build(TestImage.Format.DOCKER, "old").push(user, "openshift/hello-world", old);
          TestImage.build(TestImage.Format.DOCKER, "fresh").push(user, "openshift/hello-world", fresh);
          awaitTags(client, "users-own", old, fresh);
        }
        assertThat(client.images().list().getItems()).hasSize(3);
        try (RunSession second = new RunSession(p, Mode.VERIFY, Lang.EN, List.of(), null, ClusterClients.connect(p, false))) {
          RegistryAccessStep step = new RegistryAccessStep(second);
          List<String> stale = TestArtifacts.removeStale(second, "openshift", "hello-world");
          assertThat(stale).hasSize(2).first().isEqualTo("removed stale tag hello-world:" + old);
          assertThat(stale.get(1)).startsWith("removed stale image sha256:");
          TestArtifacts artifacts = TestArtifacts.of(second);
          artifacts.intend("openshift", "hello-world", artifacts.tag(), true);
          String digest = step.pushTestImage(artifacts.tag());
          assertThat(artifacts.pushed()).get().satisfies(x -> {
            assertThat(x.digest()).isEqualTo(digest);
            assertThat(x.imageExisted()).isFalse();
          });
          awaitTags(client, "users-own", fresh, artifacts.tag());
          List<String> done = artifacts.cleanUp();
          assertThat(done).containsExactly("deleted imagestreamtag openshift/hello-world:" + artifacts.tag(),
              "deleted image " + digest);
          assertThat(artifacts.cleanUp()).as("idempotent").isEmpty();
        }
        ImageStream stream = client.imageStreams().inNamespace("openshift").withName("hello-world").get();
        assertThat(stream.getStatus().getTags()).extracting(t -> t.getTag())
            .as("what the runs did not push stays, and so does the stream they did not create")
            .containsExactlyInAnyOrder("users-own", fresh);
        assertThat(client.images().list().getItems()).as("the user's and the fresh run's images").hasSize(2);
      }
    }
  }

  private static void awaitTags(OpenShiftClient client, String... tags) {
    Awaitility.await("tags " + List.of(tags)).atMost(Duration.ofSeconds(10)).until(() -> {
      ImageStream s = client.imageStreams().inNamespace("openshift").withName("hello-world").get();
      return s != null && s.getStatus() != null && s.getStatus().getTags() != null
          && s.getStatus().getTags().stream().map(t -> t.getTag()).toList().containsAll(List.of(tags))
          && s.getStatus().getTags().size() == tags.length;
    });
  }
}
