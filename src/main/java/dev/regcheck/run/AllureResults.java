package dev.regcheck.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regcheck.catalog.Lang;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Brings the Allure results the JUnit listener wrote in line with the run's results: Allure has
 * no WARN or BLOCKED, so a WARN is "passed" with the message "WARN: …" and a BLOCKED "skipped" with
 * "BLOCKED: …", each with a {@code tag} label of its status; FAIL is "failed" (its trace's first line
 * names its area, which files it in {@link AllureReport#categories()}), ERROR "broken", SKIP
 * "skipped". Every result is filed under its procedure step, not its Java class.
 */
final class AllureResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The first line of a failure's trace: which area it is filed under. */
  static final String AREA = "area: ";
  /** Labels that file a result by Java class; replaced by the procedure's step. */
  private static final java.util.Set<String> CLASS_SUITES = java.util.Set.of("parentSuite", "suite", "subSuite");

  private AllureResults() {}

  /**
   * Files the result under its step, as the procedure names it ("S04 创建PVC / Create the PVC"), in
   * place of the Java class that holds the check: the Suites tab then reads, in order, like the procedure.
   */
  private static void procedureLabels(ObjectNode test, CheckResult r) {
    ArrayNode labels = labels(test);
    for (int i = labels.size() - 1; i >= 0; i--) {
      if (CLASS_SUITES.contains(labels.get(i).path("name").asText())) {
        labels.remove(i);
      }
    }
    var step = r.check().step();
    labels.addObject().put("name", "parentSuite").put("value", step.name() + " " + step.titleZh() + " / " + step.titleEn());
    labels.addObject().put("name", "suite").put("value", Area.of(r.check()).title());
  }

  private static ObjectNode details(ObjectNode test) {
    return test.get("statusDetails") instanceof ObjectNode d ? d : test.putObject("statusDetails");
  }

  private static ArrayNode labels(ObjectNode test) {
    return test.get("labels") instanceof ArrayNode a ? a : test.putArray("labels");
  }

  /** A check that shows what apply did for its step starts when that began: its duration is the step's real one. */
  private static void startWithItsSteps(ObjectNode test) {
    long start = test.path("start").asLong(0);
    for (JsonNode step : test.path("steps")) {
      long s = step.path("start").asLong(0);
      if (s > 0 && (start == 0 || s < start)) {
        start = s;
      }
    }
    if (start > 0) {
      test.put("start", start);
    }
  }

  static void align(Path dir, List<CheckResult> results, Lang lang) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Map<String, CheckResult> byId = new HashMap<>();
    results.forEach(r -> byId.put(r.check().id(), r));
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList();
    }
    for (Path f : files) {
      JsonNode node = JSON.readTree(f.toFile());
      if (!(node instanceof ObjectNode test)) {
        continue;
      }
      String name = test.path("name").asText("");
      String id = name.contains(" ") ? name.substring(0, name.indexOf(' ')) : name;
      CheckResult r = byId.get(id);
      if (r == null) {
        continue;
      }
      procedureLabels(test, r);
      startWithItsSteps(test);
      if (r.status() == Status.FAIL || r.status() == Status.ERROR) {
        // the area the report's categories file a failure under (categories match on message or trace only)
        ObjectNode details = details(test);
        details.put("trace", AREA + Area.of(r.check()).title() + "\n" + details.path("trace").asText(""));
      }
      test.put("status", switch (r.status()) {
        case PASS, WARN -> "passed";
        case FAIL -> "failed";
        case ERROR -> "broken";
        case SKIP, BLOCKED -> "skipped";
      });
      if (r.status() == Status.WARN || r.status() == Status.BLOCKED) {
        details(test).put("message", r.status().name() + ": " + r.message(lang));
        labels(test).addObject().put("name", "tag").put("value", r.status().name());
      } else if (r.status() != Status.PASS && !r.message().isEmpty()) {
        details(test).put("message", r.message(lang));
      }
      Files.writeString(f, JSON.writeValueAsString(test));
    }
  }
}
