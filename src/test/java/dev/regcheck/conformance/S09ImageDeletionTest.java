package dev.regcheck.conformance;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.assertions.Yaml;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.ImageDeletionStep;
import dev.regcheck.fixture.RegistryAccessStep;
import dev.regcheck.fixture.TestArtifacts;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.registry.RegistryException;
import dev.regcheck.session.Mode;
import dev.regcheck.wait.Wait;
import io.fabric8.openshift.api.model.Image;
import java.io.IOException;
import java.util.List;
import org.opentest4j.TestAbortedException;
import java.util.Optional;

/**
 * S09: {@code oc get images | grep hello}, {@code oc delete images sha256:…}, and what the
 * registry serves afterwards (openshift-facts.md §7: no cascade; pulls answer MANIFEST_UNKNOWN;
 * blobs stay until {@code oc adm prune images --confirm}).
 */
@Conformance(Step.S09)
class S09ImageDeletionTest {

  @Check("S09.1")
  void imageListHoldsThePushedDigest(ImageDeletionStep step, RunSession lab) {
    TestArtifacts.Pushed pushed = step.pushed();
    List<Image> images = step.imagesOfRepository();
    List<String> digests = images.stream().map(i -> i.getMetadata().getName()).toList();
    if (!digests.contains(pushed.digest()) && !pushed.imageExisted()) {
      throw new CheckFailure("no Image of " + step.repository() + " has the pushed digest " + pushed.digest()
          + "; oc get images | grep " + step.repository() + " shows " + (digests.isEmpty() ? "nothing" : digests),
          List.of(new CheckFailure.Evidence("images.txt", String.join("\n", images.stream()
              .map(i -> i.getMetadata().getName() + "  " + i.getDockerImageReference()).toList()))));
    }
    if (digests.size() > 1) {
      lab.note("other images of " + step.repository() + " exist besides the test image's: "
          + digests.stream().filter(d -> !d.equals(pushed.digest())).toList() + " (only the test image's is deleted)");
    }
  }

  @Check("S09.2")
  void deletedImageIsGone(ImageDeletionStep step, RunSession lab) {
    if (lab.mode() == Mode.AUDIT) {
      throw new TestAbortedException("audit mode deletes nothing");
    }
    TestArtifacts.Pushed pushed = step.pushed();
    if (pushed.imageExisted()) {
      throw new TestAbortedException("Image " + pushed.digest() + " existed before this run pushed it (the same content "
          + "is in the cluster already, e.g. testImage.source): deleting it would break its other users");
    }
    step.deleteImage(pushed.digest());
    Wait.named("Image " + pushed.digest() + " is gone", () -> step.image(pushed.digest()))
        .until(Optional::isEmpty)
        .describedBy(i -> i.map(x -> "still there" + (x.getMetadata().getDeletionTimestamp() == null ? ""
            : " (deletion requested " + x.getMetadata().getDeletionTimestamp() + ", finalizers "
                + x.getMetadata().getFinalizers() + ")")).orElse("gone"))
        .withEvidence(i -> i.map(x -> List.of(new CheckFailure.Evidence("image.yaml", Yaml.of(x)))).orElse(List.of()))
        .within(lab.profile().timeouts().request(), lab.profile().timeouts().poll())
        .await();
  }

  @Check("S09.3")
  void deletedImageIsNoLongerServed(ImageDeletionStep step, RegistryAccessStep access, RunSession lab)
      throws IOException {
    TestArtifacts.Pushed pushed = step.pushed();
    String repo = step.repository();
    try {
      access.client().getManifest(repo, pushed.digest());
    } catch (RegistryException e) {
      if (e.status() == 404 && "MANIFEST_UNKNOWN".equals(e.code())) {
        lab.note("INFO the image's blobs stay on the registry's storage until oc adm prune images --confirm");
        return;
      }
      throw access.failure("pulling " + repo + "@" + pushed.digest()
          + " after the Image was deleted answered " + e.getMessage() + ", expected 404 MANIFEST_UNKNOWN");
    }
    throw access.failure("the registry still serves " + repo + "@" + pushed.digest()
        + " after Image " + pushed.digest() + " was deleted");
  }
}
