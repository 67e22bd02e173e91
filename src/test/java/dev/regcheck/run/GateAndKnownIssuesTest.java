package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Lang;
import dev.regcheck.cli.Labs;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.regcheck.session.Mode;
import java.util.LinkedHashMap;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * What fails a run: {@code --gate mandatory} (mandatory FAIL/BLOCKED) or {@code all} (any WARN too);
 * and a lab's known issues, which turn a FAIL into WARN until their date — in the results, the
 * summary and the exit code under either gate — and FAIL again once expired.
 */
@EmbeddedLabTest(classLab = false)
class GateAndKnownIssuesTest {

  static RunReport run(EmbeddedLab lab, Path dir, Path knownIssues, String checks) {
    Map<String, String> sets = knownIssues == null
        ? lab.profileOverrides()
        : with(lab.profileOverrides(), "knownIssues", knownIssues.toString());
    return SuiteRunner.run(new RunOptions(FaultMatrixTest.SANDBOX, sets, Mode.APPLY, Lang.EN, Set.of(), checks,
        Fault.STORAGE_UNMANAGED.skippedSteps(), dir.resolve("reports")), r -> { });
  }

  @Test
  @DisplayName("a known issue turns its FAIL into WARN until its date, then FAILs again; gates count WARNs only under all")
  void knownIssuesAndGates(@TempDir Path dir, TestLabs labs) throws Exception {
    Path active = dir.resolve("active.yaml");
    Files.writeString(active, "- check: S07.1\n  reason: storage stays Unmanaged until the NFS move (OPS-42)\n  until: "
        + LocalDate.now().plusDays(7) + "\n");
    Path expired = dir.resolve("expired.yaml");
    Files.writeString(expired, "- check: S07.1\n  reason: storage stays Unmanaged until the NFS move (OPS-42)\n  until: "
        + LocalDate.now().minusDays(1) + "\n");
    try (EmbeddedLab lab = labs.start(Labs.settings(FaultMatrixTest.PROFILE), EnumSet.of(Fault.STORAGE_UNMANAGED))) {
      String checks = "S01.*,S03.*,S04.*,S05.1,S05.2,S05.3,S07.*";
      RunReport plain = run(lab, dir.resolve("a"), null, checks);
      assertThat(status(plain, "S07.1")).isEqualTo(Status.FAIL);
      assertThat(plain.exitCode(Gate.MANDATORY)).isEqualTo(1);

      RunReport known = run(lab, dir.resolve("b"), active, checks);
      CheckResult s071 = result(known, "S07.1");
      assertThat(s071.status()).isEqualTo(Status.WARN);
      assertThat(s071.knownIssue()).isTrue();
      assertThat(s071.message()).startsWith("known issue until " + LocalDate.now().plusDays(7)
          + ": storage stays Unmanaged until the NFS move (OPS-42) — ").contains("Unmanaged");
      assertThat(known.exitCode(Gate.MANDATORY)).isZero();
      assertThat(known.exitCode(Gate.ALL)).as("an accepted known issue fails no gate").isZero();
      assertThat(Files.readString(known.dir().resolve("summary.json"))).containsPattern("\"knownIssue\"\\s*:\\s*true");
      assertThat(Files.readString(known.dir().resolve("checklist.md"))).contains("known issue until");

      RunReport lapsed = run(lab, dir.resolve("c"), expired, checks);
      assertThat(status(lapsed, "S07.1")).isEqualTo(Status.FAIL);
      assertThat(result(lapsed, "S07.1").message()).startsWith("known issue expired on " + LocalDate.now().minusDays(1));
      assertThat(lapsed.exitCode(Gate.MANDATORY)).isEqualTo(1);
    }
    try (EmbeddedLab lab = labs.start(Labs.settings(FaultMatrixTest.PROFILE), EnumSet.of(Fault.OPERATOR_HOTLOOP))) {
      RunReport hotloop = SuiteRunner.run(new RunOptions(FaultMatrixTest.SANDBOX,
          lab.profileOverrides(), Mode.APPLY, Lang.EN, Set.of(),
          "S01.*,S03.*,S04.*,S05.*", Set.of(), dir.resolve("d")), r -> { });
      assertThat(status(hotloop, "S05.4")).as("an optional check that failed").isEqualTo(Status.WARN);
      assertThat(hotloop.exitCode(Gate.MANDATORY)).isZero();
      assertThat(hotloop.exitCode(Gate.ALL)).isEqualTo(1);
    }
  }

  static CheckResult result(RunReport r, String id) {
    return r.results().stream().filter(x -> x.check().id().equals(id)).findFirst().orElseThrow();
  }

  static Status status(RunReport r, String id) {
    return result(r, id).status();
  }

  static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.put(key, value);
    return m;
  }
}
