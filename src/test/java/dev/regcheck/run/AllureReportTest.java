package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.catalog.Lang;
import dev.regcheck.cli.Labs;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.faults.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.regcheck.session.Mode;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * Each run renders its Allure report as one self-contained index.html (no external request), with
 * the environment, executor and categories files, and the lab's history carried from run to run so
 * that the second report shows each check's trend.
 */
@EmbeddedLabTest(classLab = false)
class AllureReportTest {

  private static List<String> labels(JsonNode result, String name) {
    List<String> values = new ArrayList<>();
    result.path("labels").forEach(l -> {
      if (l.path("name").asText().equals(name)) {
        values.add(l.path("value").asText());
      }
    });
    return values;
  }

  @Test
  @DisplayName("index.html is self-contained and the second run carries the first run's history")
  void singleFileReportWithHistory(@TempDir Path dir, TestLabs labs) throws Exception {
    assertThat(AllureReport.generator()).as("the build unpacks the Allure commandline (target/allure)").isPresent();
    Path history = dir.resolve("history");
    try (EmbeddedLab lab = labs.start(Labs.settings(FaultMatrixTest.PROFILE), EnumSet.of(Fault.STORAGE_UNMANAGED))) {
      RunOptions o = new RunOptions(FaultMatrixTest.SANDBOX, lab.profileOverrides(),
          Mode.APPLY, Lang.EN, Set.of(), "S01.*,S07.*", Fault.STORAGE_UNMANAGED.skippedSteps(), dir.resolve("reports"))
          .withAllureHtml(history);
      RunReport first = SuiteRunner.run(o, r -> { });
      Path page = first.dir().resolve("index.html");
      assertThat(page).exists();
      String html = Files.readString(page);
      assertThat(html.length()).isGreaterThan(1_000_000);
      assertThat(html).doesNotContainPattern("(src|href)=\"https?://").doesNotContain("googletagmanager");
      String token = Files.readAllLines(lab.kubeconfig()).stream().filter(l -> l.strip().startsWith("token:"))
          .map(l -> l.strip().substring("token:".length()).strip()).findFirst().orElseThrow();
      assertThat(html).as("no secret in the report").doesNotContain(token);
      assertThat(first.dir().resolve("allure-results/environment.properties")).content().contains("lab=sandbox")
          .contains("mode=apply");
      // failures are filed by area, nothing else is: the storage-unmanaged lab fails S07.1, an operator check
      assertThat(first.dir().resolve("allure-results/categories.json")).content().contains("TLS 与信任 / TLS and trust")
          .contains("Storage and operator").contains("Harness error").doesNotContain("WARN").doesNotContain("BLOCKED");
      List<JsonNode> results = new ArrayList<>();
      try (var files = Files.list(first.dir().resolve("allure-results"))) {
        for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
          results.add(new ObjectMapper().readTree(f.toFile()));
        }
      }
      assertThat(results).isNotEmpty().allSatisfy(r -> {
        // filed under the procedure's step, in its order, never under a Java class
        String id = r.path("name").asText().substring(0, 3);
        assertThat(labels(r, "parentSuite")).as(r.path("name").asText()).singleElement().asString().startsWith(id + " ");
        assertThat(labels(r, "suite")).singleElement().asString().doesNotContain("dev.regcheck");
        // a check showing what apply did for its step starts when that began
        r.path("steps").forEach(st -> assertThat(r.path("start").asLong()).isLessThanOrEqualTo(st.path("start").asLong()));
      });
      // apply's actions (here none: this lab needs no write for S01 and S07) are shown once per step, in its first
      // check, which starts when they began (AllureResultsTest holds the shift)
      List<JsonNode> showing = results.stream().filter(r -> r.path("steps").size() > 0).toList();
      assertThat(showing.stream().map(r -> r.path("name").asText().substring(0, 3))).doesNotHaveDuplicates();
      for (JsonNode r : showing) {
        JsonNode action = r.path("steps").get(0);
        assertThat(r.path("start").asLong()).isEqualTo(action.path("start").asLong());
        assertThat(action.path("stop").asLong()).isGreaterThanOrEqualTo(action.path("start").asLong())
            .isLessThanOrEqualTo(r.path("stop").asLong());
      }
      JsonNode s071 = results.stream().filter(r -> r.path("name").asText().startsWith("S07.1 ")).findFirst().orElseThrow();
      assertThat(s071.path("status").asText()).isEqualTo("failed");
      assertThat(s071.path("statusDetails").path("trace").asText()).startsWith("area: 存储与 Operator / Storage and operator\n");
      assertThat(first.dir().resolve("allure-results/executor.json")).content().contains("regcheck");
      assertThat(first.dir().resolve(".allure-work")).doesNotExist();
      assertThat(history.resolve("history.json")).exists();

      RunReport second = SuiteRunner.run(o, r -> { });
      JsonNode trend = new ObjectMapper().readTree(history.resolve("history.json").toFile());
      assertThat(trend.size()).isPositive();
      boolean twoRuns = false;
      for (JsonNode entry : trend) {
        twoRuns |= entry.path("items").size() >= 2;
      }
      assertThat(twoRuns).as("after two runs a check's history holds both").isTrue();
      assertThat(second.dir().resolve("index.html")).exists();
    }
  }

  @Test
  @DisplayName("the generator's heap grows with the results it embeds, from 64 MiB to at most 1 GiB")
  void generatorHeapFollowsTheResults(@TempDir Path dir) throws Exception {
    assertThat(AllureReport.jvm(AllureReport.heapMib(dir))).endsWith(" -Xmx64m").contains("-XX:TieredStopAtLevel=1");
    Files.write(dir.resolve("a-attachment.txt"), new byte[10 << 20]);
    assertThat(AllureReport.jvm(AllureReport.heapMib(dir))).endsWith(" -Xmx104m");
    try (var big = java.nio.channels.FileChannel.open(dir.resolve("b-attachment.txt"),
        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
      big.write(java.nio.ByteBuffer.wrap(new byte[1]), 400L << 20); // sparse: 400 MiB long, nothing written
    }
    assertThat(AllureReport.jvm(AllureReport.heapMib(dir))).endsWith(" -Xmx1024m");
  }

  private static List<ProcessHandle> warmGenerators() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine().orElse("").contains(AllureWarmGenerator.class.getName())).toList();
  }

  @Test
  @DisplayName("the warmed generators start once, one too small for the results is ended, and closing ends the other")
  void warmGeneratorsEnd(@TempDir Path dir) throws Exception {
    assertThat(AllureReport.generator()).as("the build unpacks Allure (target/allure)").isPresent();
    AllureReport.Warm warm = AllureReport.warm(dir);
    warm.begin();
    warm.begin(); // once
    assertThat(warmGenerators()).hasSize(2);
    assertThat(warm.use("full", List.of("generate"), AllureReport.WARM_HEAP_MIB + 1)).isEmpty();
    assertThat(warmGenerators()).as("the one whose heap is too small has ended").hasSize(1);
    warm.close();
    assertThat(warmGenerators()).isEmpty();
    assertThat(AllureReport.Warm.NONE.use("single", List.of("generate"), 64)).isEmpty();
  }
}
