package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Lang;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.Fault;
import dev.regcheck.cli.Labs;
import dev.regcheck.lab.LabSettings;
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

/** What each mode may write, counted by the lab API's own request log. */
class ModesTest {

  static final LabProfile P = FaultMatrixTest.PROFILE;

  static RunReport run(EmbeddedLab lab, Mode mode, Path reports) {
    return SuiteRunner.run(new RunOptions(FaultMatrixTest.SANDBOX, Map.of("cluster.kubeconfig", lab.kubeconfig().toString()),
        mode, Lang.EN, Set.of(), null, Set.of(), reports), r -> { });
  }

  @Test
  @DisplayName("apply performs the procedure once: a second apply, a verify and an audit write nothing")
  void applyIsIdempotentAndTheOtherModesWriteNothing(@TempDir Path dir) throws Exception {
    LabSettings settings = Labs.settings(P);
    try (EmbeddedLab lab = EmbeddedLab.start(settings, EnumSet.noneOf(Fault.class), dir.resolve("lab"))) {
      String user = lab.userActor();
      RunReport first = run(lab, Mode.APPLY, dir.resolve("r"));
      assertThat(first.results()).allSatisfy(r -> assertThat(r.status()).as(r.check().id()).isEqualTo(Status.PASS));
      long afterFirst = lab.mutatingRequestsBy(user);
      assertThat(afterFirst).as("the first apply writes S01, S03, S04, S05, S07").isEqualTo(5);
      assertThat(first.applied()).hasSize(5);

      RunReport second = run(lab, Mode.APPLY, dir.resolve("r"));
      assertThat(lab.mutatingRequestsBy(user)).as("writes by a second apply").isEqualTo(afterFirst);
      assertThat(second.applied()).hasSize(5).allSatisfy(a -> assertThat(a).containsAnyOf("already", "exists; left as it is"));

      for (Mode m : new Mode[] {Mode.VERIFY, Mode.AUDIT}) {
        RunReport r = run(lab, m, dir.resolve("r"));
        assertThat(r.results()).extracting(CheckResult::status).containsOnly(Status.PASS);
        assertThat(lab.mutatingRequestsBy(user)).as("writes by a %s run", m).isEqualTo(afterFirst);
        assertThat(r.applied()).isEmpty();
      }
    }
  }

  @Test
  @DisplayName("a run's folder holds summary.json, checklist.md, allure-results and JUnit XML, and nothing secret")
  void reportsAreWrittenWithoutSecrets(@TempDir Path dir) throws Exception {
    LabSettings settings = Labs.settings(P);
    try (EmbeddedLab lab = EmbeddedLab.start(settings, EnumSet.of(Fault.REGISTRY_CRASHLOOP), dir.resolve("lab"))) {
      String token = Files.readAllLines(lab.kubeconfig()).stream().filter(l -> l.strip().startsWith("token:"))
          .map(l -> l.strip().substring("token:".length()).strip().replace("\"", "")).findFirst().orElseThrow();
      RunReport r = run(lab, Mode.APPLY, dir.resolve("reports"));
      Path out = r.dir();
      assertThat(out.resolve("summary.json")).exists();
      assertThat(out.resolve("checklist.md")).exists();
      assertThat(Files.list(out.resolve("allure-results")).count()).isGreaterThan(14);
      assertThat(Files.list(out.resolve("junit")).anyMatch(f -> f.toString().endsWith(".xml"))).isTrue();
      assertThat(dir.resolve("reports/latest").toRealPath()).isEqualTo(out.toRealPath());
      assertThat(r.results()).filteredOn(x -> x.check().id().equals("S06.3")).singleElement()
          .satisfies(x -> assertThat(x.evidence()).isNotEmpty());
      try (var files = Files.walk(out)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String text = Files.readString(f);
          assertThat(text).as(f.toString()).doesNotContain(token).doesNotContain("PRIVATE KEY-----\nMII");
          assertThat(text).as(f.toString()).doesNotContainPattern("httpSecret:\\s*[0-9a-f]{16}");
        }
      }
      String junit = Files.readString(Files.list(out.resolve("junit")).filter(f -> f.toString().endsWith(".xml")).findFirst().orElseThrow());
      assertThat(junit).contains("testcase name=\"S05.3 ").contains("crash-looping").doesNotContain("<properties>");
    }
  }
}
