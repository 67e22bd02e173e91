package dev.regcheck.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * "BLOCKED: …", each with a {@code tag} label of its status and a category of its own
 * ({@link AllureReport#categories()}); FAIL is "failed", ERROR "broken", SKIP "skipped".
 */
final class AllureResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AllureResults() {}

  static void align(Path dir, List<CheckResult> results) throws IOException {
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
      test.put("status", switch (r.status()) {
        case PASS, WARN -> "passed";
        case FAIL -> "failed";
        case ERROR -> "broken";
        case SKIP, BLOCKED -> "skipped";
      });
      if (r.status() == Status.WARN || r.status() == Status.BLOCKED) {
        ObjectNode details = test.has("statusDetails") && test.get("statusDetails").isObject()
            ? (ObjectNode) test.get("statusDetails") : test.putObject("statusDetails");
        details.put("message", r.status().name() + ": " + r.message());
        ArrayNode labels = test.has("labels") && test.get("labels").isArray()
            ? (ArrayNode) test.get("labels") : test.putArray("labels");
        labels.addObject().put("name", "tag").put("value", r.status().name());
      }
      Files.writeString(f, JSON.writeValueAsString(test));
    }
  }
}
