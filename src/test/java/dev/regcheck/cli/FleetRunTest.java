package dev.regcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --lab A --lab B --mode audit}: two clusters (one where the procedure was done, one
 * fresh) checked in one run, each by a process of its own, one class report over both; audit writes
 * nothing to either.
 */
@EmbeddedLabTest(classLab = false)
class FleetRunTest {

  @Test
  void twoClustersInOneRun(@TempDir Path dir, TestLabs labs) throws Exception {
    EmbeddedLab done = labs.start(Fault.AUDIT_WITH_PASSWORD);
    EmbeddedLab fresh = labs.start();
    Path a = profile(dir, "cluster-a", done);
    Path b = profile(dir, "cluster-b", fresh);

    int exit = Main.execute("run", "--lab", a.toString(), "--lab", b.toString(), "--mode", "audit", "--parallel", "2",
        "--lang", "en", "--report-dir", dir.resolve("reports").toString());

    assertThat(exit).isEqualTo(1);
    Path classDir = dir.resolve("reports/latest");
    assertThat(classDir.toRealPath().getFileName().toString()).endsWith("-fleet");
    JsonNode report = new ObjectMapper().readTree(classDir.resolve("class.json").toFile());
    List<JsonNode> members = new ArrayList<>();
    report.path("labs").forEach(members::add);
    assertThat(members).extracting(m -> m.path("name").asText()).containsExactly("cluster-a", "cluster-b");
    JsonNode first = members.get(0);
    JsonNode second = members.get(1);
    assertThat(first.path("exitCode").asInt()).as(first.toString()).isZero();
    assertThat(first.path("totals").has("FAIL")).isFalse();
    assertThat(first.path("checks").path("S01.1").asText()).isEqualTo("PASS");
    assertThat(second.path("exitCode").asInt()).isEqualTo(1);
    assertThat(second.path("checks").path("S01.1").asText()).isEqualTo("FAIL"); // registry still Removed
    for (JsonNode m : members) {
      JsonNode summary = new ObjectMapper().readTree(classDir.resolve(m.path("summary").asText()).toFile());
      assertThat(summary.path("lab").asText()).isEqualTo(m.path("name").asText());
      assertThat(summary.path("mode").asText()).isEqualTo("audit");
    }
    assertThat(Files.readString(classDir.resolve("class.html"))).contains("labs/cluster-b/latest/checklist.html#S01.1");
    for (EmbeddedLab lab : List.of(done, fresh)) {
      assertThat(lab.mutatingRequestsBy(lab.userActor())).as("writes by the audits").isZero();
    }
  }

  /** The sandbox profile under another name, pointing at this lab (marked as an embedded lab, as lab up does). */
  private static Path profile(Path dir, String name, EmbeddedLab lab) throws Exception {
    String yaml = Files.readString(Path.of("profiles/sandbox.yaml"))
        .replace("name: sandbox", "name: " + name)
        .replace("kubeconfig: ../.regcheck/lab/kubeconfig", "kubeconfig: " + lab.kubeconfig());
    assertThat(yaml).contains("name: " + name).contains(lab.kubeconfig().toString());
    Labs.mark(lab.kubeconfig().getParent(), lab.apiUrl());
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
