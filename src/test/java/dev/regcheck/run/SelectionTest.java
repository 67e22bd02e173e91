package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.catalog.CheckDef;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.regcheck.session.Mode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.Lang;
import dev.regcheck.result.Redactor;

/** Which checks a run selects, and how a run's outcome becomes an exit code and a headline. */
class SelectionTest {

  @Test
  void tagsAndIdGlobsSelectFromTheCatalog() {
    assertThat(SuiteRunner.selected(Set.of("pod"), null)).extracting(CheckDef::id).containsExactly("S06.1", "S06.2", "S06.3");
    assertThat(SuiteRunner.selected(Set.of(), "S05.*")).extracting(CheckDef::id)
        .containsExactly("S05.1", "S05.2", "S05.3", "S05.4");
    assertThat(SuiteRunner.selected(Set.of("storage"), "S04.2,S06.*")).extracting(CheckDef::id).containsExactly("S04.2");
    assertThat(SuiteRunner.selected(Set.of(), null)).hasSize(Catalog.all().size());
  }

  @Test
  void aSelectedCheckThatNeverReportedIsAnErrorNotAPass() {
    ResultCollector collector = new ResultCollector(id -> Optional.empty(), r -> { }, Redactor.shapesOnly(),
        c -> "fix");
    List<CheckResult> missing = collector.missing(SuiteRunner.selected(Set.of(), "S07.*"));
    assertThat(missing).singleElement().satisfies(o -> {
      assertThat(o.check().id()).isEqualTo("S07.1");
      assertThat(o.status()).isEqualTo(Status.ERROR);
      assertThat(o.message()).startsWith("the check did not run");
    });
    RunReport r = report(result("S01.1", Status.PASS), new CheckResult(missing.get(0).check(), Status.ERROR, "x", "", 0, List.of()));
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void anApiServerAddressInAMessageNeverCarriesCredentials() {
    assertThat(SuiteRunner.withoutUserInfo("https://admin:s3cret@api.lab:6443")).isEqualTo("https://api.lab:6443");
    assertThat(SuiteRunner.withoutUserInfo("https://api.lab:6443/x@y")).isEqualTo("https://api.lab:6443/x@y");
  }

  @Test
  void unknownTagsAndEmptySelectionsAreBadInput() {
    RunOptions badTag = new RunOptions(Path.of("profiles/sandbox.yaml"), Map.of(), Mode.AUDIT, Lang.EN,
        Set.of("network"), null, Set.of(), Path.of("target/unused"));
    assertThatThrownBy(() -> SuiteRunner.run(badTag, r -> { })).hasMessageStartingWith("--tags: unknown tag 'network'");
    RunOptions none = new RunOptions(Path.of("profiles/sandbox.yaml"), Map.of(), Mode.AUDIT, Lang.EN,
        Set.of("pod"), "S01.*", Set.of(), Path.of("target/unused"));
    assertThatThrownBy(() -> SuiteRunner.run(none, r -> { })).hasMessageStartingWith("no implemented check matches");
  }

  static CheckResult result(String id, Status s) {
    return new CheckResult(Catalog.get(id), s, s == Status.PASS ? "" : "because", "fix", 1, List.of());
  }

  static RunReport report(CheckResult... rs) {
    return new RunReport("lab", Mode.VERIFY, Instant.EPOCH, 10, List.of(rs), List.of(), Path.of("r"));
  }

  @Test
  void exitCodesFollowTheMandatoryChecks() {
    assertThat(report(result("S01.1", Status.PASS), result("S05.4", Status.WARN)).exitCode()).isZero();
    assertThat(report(result("S01.1", Status.FAIL), result("S01.2", Status.BLOCKED)).exitCode()).isEqualTo(1);
    assertThat(report(result("S01.1", Status.PASS), result("S01.2", Status.ERROR)).exitCode()).isEqualTo(2);
    assertThat(report(result("S01.1", Status.FAIL), result("S01.2", Status.ERROR)).exitCode()).isEqualTo(1);
    assertThat(report(result("S06.3", Status.SKIP)).exitCode()).isZero();
  }

  @Test
  void theHeadlineNamesTheFirstFailureInProcedureOrder() {
    RunReport r = report(result("S01.1", Status.PASS), result("S04.1", Status.FAIL), result("S04.2", Status.FAIL),
        result("S05.3", Status.BLOCKED));
    assertThat(Checklist.headline(r, Lang.EN, Map.of()))
        .startsWith("1 of 3 steps pass; first failure: S04.1 ");
    assertThat(Checklist.headline(r, Lang.ZH, Map.of())).startsWith("3 个步骤中 1 个通过；第一个失败：S04.1");
  }

  @Test
  void summaryJsonKeepsItsContract() throws Exception {
    RunReport r = report(result("S01.1", Status.PASS), result("S04.2", Status.FAIL));
    var json = new ObjectMapper().readTree(Reports.summary(r, Lang.EN, Map.of()));
    assertThat(json.fieldNames()).toIterable().containsExactly("lab", "mode", "startedAt", "durationMs", "checks", "totals");
    assertThat(json.get("checks").get(1).fieldNames()).toIterable().containsExactly("id", "step", "titleZh", "titleEn",
        "tags", "mandatory", "status", "message", "messageEn", "remediation", "evidence");
    assertThat(json.get("checks").get(1).get("status").asText()).isEqualTo("FAIL");
    assertThat(json.get("totals").get("FAIL").asInt()).isEqualTo(1);
    assertThat(json.get("totals").fieldNames()).toIterable().containsExactly("PASS", "FAIL", "WARN", "SKIP", "BLOCKED", "ERROR");
    // in Chinese: message in the run's language, messageEn the harness's English for tools
    RunReport zh = report(new CheckResult(Catalog.get("S04.1"), Status.FAIL,
        "PersistentVolumeClaim internal-registry-pvc does not exist", "fix", 1, List.of()));
    var check = new ObjectMapper().readTree(Reports.summary(zh, Lang.ZH, Map.of())).get("checks").get(0);
    assertThat(check.get("message").asText()).isEqualTo("PVC internal-registry-pvc 不存在");
    assertThat(check.get("messageEn").asText()).isEqualTo("PersistentVolumeClaim internal-registry-pvc does not exist");
  }
}
