package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.Lang;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the run does to the results the Allure listener wrote: filed under the procedure's step and
 * the area, not the Java class; a failure's area first in its trace (the categories match on it);
 * a check that shows apply's actions starts when they began.
 */
class AllureResultsTest {

  @Test
  void resultsReadLikeTheProcedure(@TempDir Path dir) throws Exception {
    // as allure-junit-platform writes them: suite labels from the class, the test started when the check did
    Files.writeString(dir.resolve("a-result.json"), """
        {"name":"S04.1 PVC exists","status":"failed","start":5000,"stop":5200,
         "statusDetails":{"message":"claim missing","trace":"org.opentest4j.AssertionFailedError: claim missing"},
         "labels":[{"name":"suite","value":"dev.regcheck.conformance.S04PersistentVolumeClaimTest"},
                   {"name":"parentSuite","value":"regcheck"},{"name":"epic","value":"storage"}],
         "steps":[{"name":"S04 oc apply -f pvc.yaml","start":1000,"stop":1400}]}
        """);
    Files.writeString(dir.resolve("b-result.json"), """
        {"name":"S10.3 the ingress CA","status":"passed","start":6000,"stop":6100,"labels":[]}
        """);
    AllureResults.align(dir, List.of(
        new CheckResult(Catalog.get("S04.1"), Status.FAIL, "PersistentVolumeClaim internal-registry-pvc does not exist",
            "oc apply -f pvc.yaml", 200, List.of()),
        new CheckResult(Catalog.get("S10.3"), Status.PASS, "", "", 100, List.of())), Lang.ZH);
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(dir.resolve("a-result.json").toFile());
    assertThat(labels(a, "parentSuite")).containsExactly("S04 创建PVC / Create the PersistentVolumeClaim");
    assertThat(labels(a, "suite")).containsExactly("存储与 Operator / Storage and operator");
    assertThat(labels(a, "epic")).containsExactly("storage");
    // the failure says why in the run's language (the report's own words are set by --lang when it is generated)
    assertThat(a.path("statusDetails").path("message").asText()).isEqualTo("PVC internal-registry-pvc 不存在");
    assertThat(a.path("start").asLong()).as("starts with apply's action for S04").isEqualTo(1000);
    assertThat(a.path("statusDetails").path("trace").asText())
        .startsWith("area: 存储与 Operator / Storage and operator\norg.opentest4j.AssertionFailedError");
    JsonNode b = json.readTree(dir.resolve("b-result.json").toFile());
    assertThat(labels(b, "parentSuite")).containsExactly("S10 默认路由 / Expose through the default route");
    assertThat(labels(b, "suite")).containsExactly("TLS 与信任 / TLS and trust");
    assertThat(b.path("start").asLong()).isEqualTo(6000);
    assertThat(b.path("statusDetails").path("trace").isMissingNode()).as("only failures are filed").isTrue();
    // every category but the harness error is an area, matched by the trace's first line
    assertThat(AllureReport.categories().toString()).contains("\"traceRegex\":\"(?s)\\\\Qarea: 存储与 Operator / Storage and operator\\\\E.*\"");
  }

  private static List<String> labels(JsonNode result, String name) {
    List<String> values = new ArrayList<>();
    result.path("labels").forEach(l -> {
      if (l.path("name").asText().equals(name)) {
        values.add(l.path("value").asText());
      }
    });
    return values;
  }
}
