package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import dev.regcheck.session.Mode;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every report is written from the same results: summary.json, checklist.md, JUnit XML and the
 * Allure results give each check the status the run gave it, WARN and BLOCKED included (neither
 * JUnit nor Allure has them: they are told apart by their message, and Allure carries a tag).
 */
@EmbeddedLabTest(classLab = false)
class OneResultModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @DisplayName("a crash-looping registry: PASS, FAIL, WARN and BLOCKED agree across summary, checklist, JUnit XML and Allure")
  void everyReportTellsTheSameStatuses(@TempDir Path dir, TestLabs labs) throws Exception {
    EmbeddedLab lab = labs.start(Fault.REGISTRY_CRASHLOOP);
    RunReport r = ModesTest.run(lab, Mode.APPLY, dir.resolve("reports"));
    Map<String, Status> expected = new TreeMap<>();
    for (CheckResult c : r.results()) {
      expected.put(c.check().id(), c.status());
    }
    assertThat(expected.values()).as("the run shows every status this test is about")
        .contains(Status.PASS, Status.FAIL, Status.WARN, Status.BLOCKED);

    assertThat(fromSummary(r.dir())).as("summary.json").isEqualTo(expected);
    assertThat(fromChecklist(r.dir())).as("checklist.md").isEqualTo(expected);
    assertThat(fromJunit(r.dir())).as("junit/TEST-regcheck.xml").isEqualTo(expected);
    assertThat(fromAllure(r.dir())).as("allure-results").isEqualTo(expected);
    assertThat(r.applied()).as("apply is its own phase: what it did per step")
        .anySatisfy(a -> assertThat(a).startsWith("S01: "));
  }

  static Map<String, Status> fromSummary(Path dir) throws Exception {
    Map<String, Status> out = new TreeMap<>();
    for (JsonNode c : JSON.readTree(dir.resolve("summary.json").toFile()).path("checks")) {
      out.put(c.path("id").asText(), Status.valueOf(c.path("status").asText()));
    }
    return out;
  }

  static Map<String, Status> fromChecklist(Path dir) throws Exception {
    Map<String, Status> out = new TreeMap<>();
    // a table row: | S04.2 title (a | in it escaped) | ✅ PASS | detail |
    Matcher m = Pattern.compile("(?m)^\\| (S\\d\\d\\.\\d+) (?:\\\\\\||[^|])*\\| \\S* ?(PASS|FAIL|WARN|SKIP|BLOCKED|ERROR)\\b")
        .matcher(Files.readString(dir.resolve("checklist.md")));
    while (m.find()) {
      out.put(m.group(1), Status.valueOf(m.group(2)));
    }
    return out;
  }

  static Map<String, Status> fromJunit(Path dir) throws Exception {
    Map<String, Status> out = new TreeMap<>();
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(dir.resolve("junit/TEST-regcheck.xml").toFile());
    NodeList cases = doc.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element tc = (Element) cases.item(i);
      String id = tc.getAttribute("name").split(" ")[0];
      Status s;
      if (tc.getElementsByTagName("failure").getLength() > 0) {
        s = Status.FAIL;
      } else if (tc.getElementsByTagName("error").getLength() > 0) {
        s = Status.ERROR;
      } else if (tc.getElementsByTagName("skipped").getLength() > 0) {
        s = ((Element) tc.getElementsByTagName("skipped").item(0)).getAttribute("message").startsWith("BLOCKED: ")
            ? Status.BLOCKED : Status.SKIP;
      } else {
        NodeList outs = tc.getElementsByTagName("system-out");
        s = outs.getLength() > 0 && outs.item(0).getTextContent().startsWith("WARN: ") ? Status.WARN : Status.PASS;
      }
      out.put(id, s);
    }
    return out;
  }

  static Map<String, Status> fromAllure(Path dir) throws Exception {
    Map<String, Status> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("allure-results"))) {
      for (Path f : files.filter(p -> p.toString().endsWith("-result.json")).toList()) {
        JsonNode t = JSON.readTree(f.toFile());
        String id = t.path("name").asText().split(" ")[0];
        String message = t.path("statusDetails").path("message").asText("");
        boolean tagged = false;
        for (JsonNode l : t.path("labels")) {
          tagged |= l.path("name").asText().equals("tag") && l.path("value").asText().matches("WARN|BLOCKED");
        }
        Status s = switch (t.path("status").asText()) {
          case "passed" -> message.startsWith("WARN: ") && tagged ? Status.WARN : Status.PASS;
          case "failed" -> Status.FAIL;
          case "broken" -> Status.ERROR;
          case "skipped" -> message.startsWith("BLOCKED: ") && tagged ? Status.BLOCKED : Status.SKIP;
          default -> throw new AssertionError(f + ": status " + t.path("status"));
        };
        out.put(id, s);
      }
    }
    return out;
  }
}
