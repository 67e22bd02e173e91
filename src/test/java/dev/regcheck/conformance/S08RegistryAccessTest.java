package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;
import static dev.regcheck.assertions.RegistryAssertions.assertThatChain;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.ManagementStateStep;
import dev.regcheck.fixture.RegistryAccessStep;
import dev.regcheck.fixture.RegistryConnection;
import dev.regcheck.fixture.TestArtifacts;
import dev.regcheck.junit.Blocked;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Needs;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.registry.Catalog;
import dev.regcheck.registry.Challenge;
import dev.regcheck.registry.RegistryClient;
import dev.regcheck.registry.RegistryException;
import dev.regcheck.registry.TestImage;
import dev.regcheck.result.Status;
import dev.regcheck.session.Mode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opentest4j.TestAbortedException;
import dev.regcheck.registry.Credentials;
import java.security.cert.X509Certificate;
import dev.regcheck.assertions.ImageAssert;

/**
 * S08: the registry through its service, as the document does it from a node: the service and
 * its certificate, {@code oc whoami -t}, {@code podman login}, {@code podman search <svc>/},
 * {@code podman push} and pull — but speaking the registry's API itself, verifying every digest.
 */
@Conformance(Step.S08)
class S08RegistryAccessTest {

  @Check("S08.1")
  void serviceExposesTheRegistry(RegistryAccessStep step, RunSession lab) {
    var registry = lab.profile().registry();
    Needs.present(lab, "S08.1", step.service().isPresent(), "service " + registry.service());
    assertThat(step.service().orElse(null), step.endpoints().orElse(null))
        .exists(registry.service(), registry.namespace())
        .servesTheRegistryPods(registry.podSelector(), RegistryConnection.readyEndpointOf(step.endpoints().orElse(null))
            .isPresent(), step.readyRegistryPods());
  }

  @Check("S08.2")
  void internalHostnameIsPublished(RegistryAccessStep step, ManagementStateStep state, RunSession lab) {
    String expected = lab.profile().registry().internalHostname();
    var config = step.imageConfig().orElse(null);
    assertThat(config).exists();
    String actual = config.getStatus() == null ? null : config.getStatus().getInternalRegistryHostname();
    if (actual == null || actual.isEmpty()) {
      // not published yet: when an earlier step is why, that step is the cause to name
      state.config().filter(c -> "Removed".equals(c.getSpec().getManagementState())).ifPresent(c -> {
        throw Blocked.by("S01.1", "the registry is Removed, so the operator publishes no internal hostname");
      });
      // the operator publishes the hostname once it has created the service: an operator that
      // could not (no storage, a missing claim) has failed earlier, and that is the cause to name
      boolean settled = lab.outcome("S05.3").map(o -> o == Status.PASS || o == Status.WARN).orElse(true);
      if (step.service().isEmpty() && !settled) {
        String root = lab.rootCause("S05.3");
        throw Blocked.by(root.equals("S05.3") ? root : root + " (via S05.3)", "the operator has not created service "
            + lab.profile().registry().service() + ", so it publishes no internal hostname");
      }
    }
    assertThat(config).publishesInternalHostname(expected);
  }

  @Check("S08.3")
  void serviceCertificateIsValid(RegistryAccessStep step, RunSession lab) throws IOException {
    RegistryConnection c = step.connection();
    String svc = c.host();
    List<X509Certificate> chain;
    try {
      chain = step.servedChain();
    } catch (IOException e) {
      // through a port-forward that failed, the tunnel is what failed, not the serving certificate
      throw new CheckFailure("no TLS handshake with " + c.authority() + " through " + c.route() + ": "
          + c.tunnelFailure().map(t -> "the port-forward failed: " + t).orElse(e.getMessage()));
    }
    assertThatChain(chain, "service " + c.authority())
        .coversHosts(svc, svc + ".cluster.local")
        .isValidAt(Instant.now())
        .chainsTo(c.serviceCa(), "the service CA (configmap " + RegistryConnection.CA_CONFIGMAP + ")", Instant.now());
    lab.note("reached through " + c.route());
  }

  @Check("S08.4")
  void bearerTokenIsAvailable(RegistryAccessStep step, RunSession lab) {
    if (lab.sessionRefused().isPresent()) {
      // never a PASS with a token the API server rejects
      throw new CheckFailure(lab.sessionRefused().get() + lab.renewedHow()
          .map(how -> "; this run logged in again (" + how + "), went on and logs out at the end")
          .orElse(lab.mode() == Mode.AUDIT ? "; audit mode does not log in (a login writes an oauthaccesstokens object)"
              : "; " + lab.renewalFailure().orElse("the run did not log in again")));
    }
    lab.note("token from " + step.token().source());
  }

  @Check("S08.5")
  void loginWithTheToken(RegistryAccessStep step, RunSession lab) throws IOException {
    try {
      step.token();
    } catch (CheckFailure e) {
      Needs.present(lab, "S08.5", false, "a bearer token");
      throw e;
    }
    Challenge challenge = call(step, "anonymous GET /v2/", () -> step.anonymous().ping());
    if (challenge.status() != 401) {
      throw step.failure("anonymous GET /v2/ answered " + challenge.status()
          + " instead of 401: the registry does not ask for credentials");
    }
    if (!challenge.isBearer() || challenge.realm() == null || !challenge.realm().endsWith("/openshift/token")) {
      throw step.failure("anonymous GET /v2/ is 401 but its challenge is " + challenge.scheme()
          + (challenge.realm() == null ? "" : " realm=" + challenge.realm())
          + ", not Bearer with a realm ending in /openshift/token");
    }
    call(step, "login with the token", () -> {
      step.client().login();
      return null;
    });
    lab.note("realm " + challenge.realm());
  }

  @Check("S08.6")
  void catalogListsRepositories(RegistryAccessStep step, RunSession lab) throws IOException {
    Catalog catalog;
    try {
      catalog = step.client().catalog(100);
    } catch (RegistryException e) {
      if (e.status() == 401 || e.status() == 403) {
        throw new TestAbortedException("the identity may not list the catalog (" + e.code()
            + "): it needs cluster-wide list imagestreams, as podman search <svc>/ does");
      }
      throw step.failure("GET /v2/_catalog failed: " + e.getMessage());
    }
    lab.note(catalog.repositories().size() + " repositories in " + catalog.pages() + " page(s)");
  }

  @Check("S08.7")
  void pushTheTestImage(RegistryAccessStep step, RunSession lab) throws IOException {
    if (lab.mode() == Mode.AUDIT) {
      throw new TestAbortedException("audit mode pushes nothing");
    }
    RegistryAccessStep.Push push = step.push();
    ImageAssert image = assertThat(push.image().orElse(null), push.digest()).isRecordedWith(push.stream());
    if (!push.imageExisted()) {
      // an Image that existed before keeps the reference of its first push (§6)
      image.hasReference(push.expectedReference());
    }
    lab.note("pushed " + push.repository() + ":" + push.tag() + " → " + push.digest() + " (stream "
        + push.stream().getMetadata().getName() + ")");
  }

  @Check("S08.8")
  void pullBackByTagAndDigest(RegistryAccessStep step, RunSession lab) throws IOException {
    TestArtifacts.Pushed pushed = step.artifacts().pushed().orElseThrow(() ->
        new IllegalStateException("S08.7 passed but recorded no pushed image"));
    String repo = step.repository();
    for (String reference : List.of(pushed.tag(), pushed.digest())) {
      TestImage.Pulled pulled = call(step, "pull " + repo + ":" + reference,
          () -> TestImage.pull(step.client(), repo, reference));
      if (!pushed.digest().equals(pulled.manifest().digest())) {
        throw step.failure("pulling " + repo + " by " + reference + " gave manifest " + pulled.manifest().digest()
            + ", but " + pushed.digest() + " was pushed");
      }
      lab.note("pulled by " + (reference.equals(pushed.tag()) ? "tag" : "digest") + ": manifest and "
          + pulled.blobs().size() + " blobs (" + pulled.blobBytes() + " bytes) verified");
    }
  }

  @Check("S08.9")
  void anonymousPushAndUnauthorizedPullAreRefused(RegistryAccessStep step, RunSession lab) throws IOException {
    if (lab.mode() == Mode.AUDIT) {
      throw new TestAbortedException("audit mode: an anonymous push attempt could write");
    }
    String repo = step.repository();
    RegistryClient anonymous = step.anonymous();
    TestImage image = TestImage.build(TestImage.Format.DOCKER);
    try {
      // a cross-repository mount opens an upload session without sending data; a refused push fails here
      anonymous.mountBlob(repo, image.config().digest(), repo);
      throw step.failure("an anonymous client may push to " + repo
          + ": the registry opened an upload session without credentials");
    } catch (RegistryException e) {
      if (e.status() != 401 && e.status() != 403) {
        throw step.failure("an anonymous push attempt to " + repo + " failed oddly (expected 401 or 403): "
            + e.getMessage());
      }
    }
    String reference = step.artifacts().pushed().map(TestArtifacts.Pushed::tag).orElse("latest");
    refusedPull(step, anonymous, repo, reference, "an anonymous client");
    Optional<String> other = Optional.ofNullable(lab.profile().identity().unprivilegedToken())
        .flatMap(ref -> ref.resolve(System.getenv()));
    if (other.isPresent() && "openshift".equals(step.namespace())) {
      // shared-resource-viewers lets every authenticated user pull from the openshift project
      lab.note("the unprivileged identity is not tested against the openshift project: every authenticated user may "
          + "pull there (shared-resource-viewers); use a testImage.repository in another project to test it");
    } else if (other.isPresent()) {
      RegistryClient unprivileged = step.connection().client(
          Credentials.basic("regcheck-unprivileged", other.get()));
      refusedPull(step, unprivileged, repo, reference, "the profile's unprivileged identity");
    } else {
      lab.note("pull refusal tested anonymously (set identity.unprivilegedToken to test a logged-in identity too)");
    }
  }

  private static void refusedPull(RegistryAccessStep step, RegistryClient client, String repo, String reference,
      String who) throws IOException {
    try {
      client.getManifest(repo, reference);
    } catch (RegistryException e) {
      if (e.status() == 401 || e.status() == 403) {
        return;
      }
      if (e.status() == 404) {
        // the registry authorizes before it looks: a 404 means the pull was allowed
        throw step.failure(who + " was let through to look up " + repo + ":" + reference
            + " (404 " + e.code() + ", not 401/403): pulls are open without get imagestreams/layers");
      }
      throw step.failure(who + " pulling " + repo + ":" + reference + " failed oddly: " + e.getMessage());
    }
    throw step.failure(who + " could pull " + repo + ":" + reference
        + " without get imagestreams/layers in " + repo.split("/")[0]);
  }

  interface Call<T> {
    T run() throws IOException;
  }

  /** Runs a registry call; a registry error fails the check with the HTTP exchange as evidence. */
  static <T> T call(RegistryAccessStep step, String what, Call<T> call) {
    try {
      return call.run();
    } catch (RegistryException e) {
      throw step.failure(what + " failed: " + e.getMessage());
    } catch (IOException e) {
      throw step.failure(what + " failed: " + e.getMessage());
    }
  }
}
