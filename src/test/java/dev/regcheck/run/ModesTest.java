package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Lang;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.cli.Labs;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.regcheck.session.Mode;
import dev.regcheck.client.ClusterClients;
import dev.regcheck.lab.LabFiles;
import dev.regcheck.profile.ProfileLoader;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/** What each mode may write, counted by the lab API's own request log. */
@EmbeddedLabTest(classLab = false)
class ModesTest {

  static final LabProfile P = FaultMatrixTest.PROFILE;

  static RunReport run(EmbeddedLab lab, Mode mode, Path reports) {
    return SuiteRunner.run(new RunOptions(FaultMatrixTest.SANDBOX, lab.profileOverrides(),
        mode, Lang.EN, Set.of(), null, Set.of(), reports), r -> { });
  }

  /**
   * The user's writes outside the image API and OAuth (the procedure's objects), and inside the
   * image API (the round trip).
   */
  static long procedureWrites(EmbeddedLab lab) {
    return lab.requests().stream().filter(e -> e.mutating() && e.actor().equals(lab.userActor())
        && !e.path().startsWith("/apis/image.openshift.io/") && !e.path().startsWith(FaultMatrixTest.TOKENS)).count();
  }

  /** Password logins (the OAuth server writes a token object) and the run's own revocations of them. */
  static List<Long> loginsAndLogouts(EmbeddedLab lab) {
    long logins = lab.requests().stream().filter(e -> e.method().equals("POST") && e.path().equals(FaultMatrixTest.TOKENS))
        .count();
    long logouts = lab.requests().stream().filter(e -> e.method().equals("DELETE") && e.status() == 200
        && e.path().startsWith(FaultMatrixTest.TOKENS + "/")).count();
    return List.of(logins, logouts);
  }

  static List<String> imageWrites(EmbeddedLab lab) {
    return lab.requests().stream().filter(e -> e.mutating() && e.actor().equals(lab.userActor())
        && e.path().startsWith("/apis/image.openshift.io/"))
        .map(e -> e.method() + " " + e.path().replaceAll("sha256:[0-9a-f]{64}", "<digest>")
            .replaceAll("regcheck-\\d{8}-\\d{6}-[0-9a-f]{4}", "<tag>").replaceAll("\\?.*", "")).toList();
  }

  @Test
  @DisplayName("apply performs the procedure once: a second apply and a verify write only their registry round trip, an audit nothing")
  void applyIsIdempotentAndTheOtherModesWriteNothing(@TempDir Path dir, TestLabs labs) throws Exception {
    LabSettings settings = Labs.settings(P);
    try (EmbeddedLab lab = labs.start(settings, EnumSet.noneOf(Fault.class))) {
      RunReport first = run(lab, Mode.APPLY, dir.resolve("r"));
      // where no NFS server can run here, the lab says so and S02 SKIPs (FaultMatrixTest checks the reason)
      boolean nfs = lab.nfsUnavailable().isEmpty();
      assertThat(first.results()).filteredOn(r -> nfs || !r.check().id().startsWith("S02."))
          .allSatisfy(r -> assertThat(r.status()).as(r.check().id()).isEqualTo(Status.PASS));
      long afterFirst = procedureWrites(lab);
      assertThat(afterFirst).as("the first apply writes S01, S03, S04, S05, S07, S10, and S11's secret and "
          + "spec.routes entry").isEqualTo(8);
      assertThat(first.applied()).hasSize(7);
      // the round trip: S09.2 deletes the pushed Image; the pushes through the two routes (S10.4, S11.6)
      // make it again; the clean-up removes the three tags, the Image and the stream it created
      List<String> roundTrip = List.of(
          "DELETE /apis/image.openshift.io/v1/images/<digest>",
          "DELETE /apis/image.openshift.io/v1/namespaces/openshift/imagestreamtags/hello-world:<tag>",
          "DELETE /apis/image.openshift.io/v1/namespaces/openshift/imagestreamtags/hello-world:<tag>-default-route",
          "DELETE /apis/image.openshift.io/v1/namespaces/openshift/imagestreamtags/hello-world:<tag>-custom-route",
          "DELETE /apis/image.openshift.io/v1/images/<digest>",
          "DELETE /apis/image.openshift.io/v1/namespaces/openshift/imagestreams/hello-world");
      assertThat(imageWrites(lab)).as("the first run's image API writes").isEqualTo(roundTrip);

      RunReport second = run(lab, Mode.APPLY, dir.resolve("r"));
      assertThat(procedureWrites(lab)).as("procedure writes by a second apply").isEqualTo(afterFirst);
      assertThat(second.applied()).hasSize(7).allSatisfy(a -> assertThat(a).containsAnyOf("already", "exists; left as it is"));

      RunReport verify = run(lab, Mode.VERIFY, dir.resolve("r"));
      assertThat(verify.results()).filteredOn(r -> nfs || !r.check().id().startsWith("S02."))
          .extracting(CheckResult::status).containsOnly(Status.PASS);
      assertThat(procedureWrites(lab)).as("procedure writes by a verify run").isEqualTo(afterFirst);
      assertThat(verify.applied()).isEmpty();
      assertThat(imageWrites(lab)).as("three runs, each its own round trip and nothing else").hasSize(18)
          .isEqualTo(Stream.of(roundTrip, roundTrip, roundTrip)
              .flatMap(List::stream).toList());

      // S12.2 logged in once in each run (after the kubeconfig's own token object) and logged out again
      assertThat(loginsAndLogouts(lab)).as("password logins and their revocations").containsExactly(4L, 3L);
      long before = lab.mutatingRequestsBy(lab.userActor());
      RunReport audit = run(lab, Mode.AUDIT, dir.resolve("r"));
      assertThat(audit.results()).extracting(CheckResult::status).containsOnly(Status.PASS, Status.SKIP);
      assertThat(audit.results()).filteredOn(r -> r.status() == Status.SKIP).extracting(r -> r.check().id())
          .containsExactlyElementsOf(Stream.concat(
              (nfs ? Stream.of("S02.4") : Stream.of("S02.1", "S02.2", "S02.3", "S02.4")),
              Stream.of("S08.7", "S08.8", "S08.9", "S09.1", "S09.2", "S09.3", "S10.4", "S11.6", "S12.2")).toList());
      assertThat(lab.mutatingRequestsBy(lab.userActor())).as("writes by an audit run").isEqualTo(before);
      assertThat(loginsAndLogouts(lab)).as("an audit does not log in").containsExactly(4L, 3L);
      assertThat(audit.applied()).isEmpty();
      try (var client = ClusterClients.connect(new ProfileLoader(Map.of(),
          lab.profileOverrides()).load(FaultMatrixTest.SANDBOX), true)) {
        assertThat(client.images().list().getItems()).as("no test image is left behind").isEmpty();
        assertThat(client.imageStreams().inAnyNamespace().list().getItems()).as("no image stream is left behind").isEmpty();
      }
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(value = Fault.class, names = {"REGISTRY_CRASHLOOP", "NO_BUILDER_ROLE"})
  @DisplayName("a run's folder holds summary.json, checklist.md, allure-results and JUnit XML, and nothing secret")
  void reportsAreWrittenWithoutSecrets(Fault fault, @TempDir Path dir, TestLabs labs) throws Exception {
    LabSettings settings = Labs.settings(P);
    try (EmbeddedLab lab = labs.start(settings, EnumSet.of(fault))) {
      String token = Files.readAllLines(lab.kubeconfig()).stream().filter(l -> l.strip().startsWith("token:"))
          .map(l -> l.strip().substring("token:".length()).strip().replace("\"", "")).findFirst().orElseThrow();
      RunReport r = run(lab, Mode.APPLY, dir.resolve("reports"));
      Path out = r.dir();
      assertThat(out.resolve("summary.json")).exists();
      assertThat(out.resolve("checklist.md")).exists();
      String html = Files.readString(out.resolve("checklist.html"));
      String failing0 = fault == Fault.REGISTRY_CRASHLOOP ? "S05.3" : "S08.7";
      assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("src=")
          .contains("<tr id=\"" + failing0 + "\"><td class=\"st FAIL\">FAIL</td>").contains("fix: ")
          .containsPattern("class=\"st BLOCKED\">BLOCKED</td>.*blocked by");
      assertThat(Files.list(out.resolve("allure-results")).count()).isGreaterThan(14);
      assertThat(Files.list(out.resolve("junit")).anyMatch(f -> f.toString().endsWith(".xml"))).isTrue();
      assertThat(dir.resolve("reports/latest").toRealPath()).isEqualTo(out.toRealPath());
      String failing = fault == Fault.REGISTRY_CRASHLOOP ? "S06.3" : "S08.7";
      assertThat(r.results()).filteredOn(x -> x.check().id().equals(failing)).singleElement()
          .satisfies(x -> assertThat(x.evidence()).isNotEmpty());
      String basic = Base64.getEncoder().encodeToString((P.identity().user() + ":" + token).getBytes());
      String password = Files.readString(lab.kubeconfig().resolveSibling(LabFiles.PASSWORD)).strip();
      try (var files = Files.walk(out)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String text = Files.readString(f);
          assertThat(text).as(f.toString()).doesNotContain(token).doesNotContain(basic)
              .doesNotContain("PRIVATE KEY-----\nMII").doesNotContainPattern("eyJ[A-Za-z0-9_-]{10,}\\.eyJ");
          assertThat(text).as(f.toString()).doesNotContainPattern("httpSecret:\\s*[0-9a-f]{16}");
          // the OAuth login's password and the tokens it issues (S12.2, S08.4) never reach a report
          assertThat(text).as(f.toString()).doesNotContain(password).doesNotContainPattern("sha256~[A-Za-z0-9_-]{20,}");
        }
      }
      String junit = Files.readString(Files.list(out.resolve("junit")).filter(f -> f.toString().endsWith(".xml")).findFirst().orElseThrow());
      if (fault == Fault.REGISTRY_CRASHLOOP) {
        assertThat(junit).contains("testcase name=\"S05.3 ").contains("crash-looping").doesNotContain("<properties>")
            .as("the remediation goes with the failure message").contains("fix: wait for oc get co to settle");
      } else {
        assertThat(junit).contains("testcase name=\"S08.7 ").contains("system:image-builder").doesNotContain("<properties>");
        assertThat(Files.readString(r.dir().resolve("evidence/S08.7/http-exchange.txt")))
            .contains("Authorization: <redacted>").contains("/openshift/token");
      }
    }
  }

  @Test
  @DisplayName("S10's trust update goes on while the checks start; when it fails, S10's checks are ERROR naming it and S10 is not listed as applied")
  void aTrustUpdateThatFailsErrorsItsStep(@TempDir Path dir, TestLabs labs) throws Exception {
    try (EmbeddedLab lab = labs.start(Labs.settings(P), EnumSet.noneOf(Fault.class))) {
      Map<String, String> overrides = new java.util.HashMap<>(lab.profileOverrides());
      overrides.put("exposure.trustUpdate", "/bin/false");
      RunReport r = SuiteRunner.run(new RunOptions(FaultMatrixTest.SANDBOX, overrides, Mode.APPLY, Lang.EN, Set.of(),
          null, Set.of(), dir.resolve("r")), x -> { });
      assertThat(r.results()).filteredOn(c -> c.check().step() == dev.regcheck.catalog.Step.S10).hasSize(4)
          .allSatisfy(c -> {
            assertThat(c.status()).as(c.check().id()).isEqualTo(Status.ERROR);
            assertThat(c.message()).as(c.check().id()).contains("apply of S10 failed", "/bin/false failed (exit 1)");
          });
      assertThat(r.applied()).as("applied steps").noneMatch(a -> a.startsWith("S10"))
          .anyMatch(a -> a.startsWith("S11"));
      assertThat(r.results()).filteredOn(c -> c.check().id().equals("S01.1"))
          .singleElement().extracting(CheckResult::status).isEqualTo(Status.PASS);
    }
  }
}
