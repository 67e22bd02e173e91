package dev.regcheck.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regcheck.catalog.Lang;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import dev.regcheck.catalog.CheckDef;

/** Writes a run's summary.json and checklist.md, and points {@code reports/latest} at the run. */
public final class Reports {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  static void write(RunReport r, Lang lang, Map<String, String> values, Path reportsRoot, Redactor redactor,
      Map<String, CheckDef> legacyNames) {
    try {
      scrubJunitXml(r.dir().resolve("junit"), redactor, legacyNames, values);
      Files.writeString(r.dir().resolve("summary.json"), redactor.redact(summary(r, lang, values)));
      Files.writeString(r.dir().resolve("checklist.md"), redactor.redact(Checklist.markdown(r, lang, values)));
      Files.writeString(r.dir().resolve("checklist.html"), redactor.redact(Checklist.html(r, lang, values)));
      Path latest = reportsRoot.resolve("latest");
      Files.deleteIfExists(latest);
      Files.createSymbolicLink(latest, reportsRoot.toAbsolutePath().relativize(r.dir().toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + r.dir(), e);
    }
  }

  /**
   * JUnit's XML report records every JVM system property (where a token can hide, e.g.
   * kubernetes.auth.token set through JAVA_TOOL_OPTIONS) and the raw failure text: drop the
   * properties and pass the rest through the run's redactor.
   */
  static void scrubJunitXml(Path dir, Redactor redactor, Map<String, CheckDef> legacyNames,
      Map<String, String> values) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".xml")).toList()) {
        String xml = Files.readString(f).replaceAll("(?s)<properties>.*?</properties>\\s*", "");
        // name each test case after its check ("S04.2 PVC … is Bound …"), not its Java method
        for (var e : legacyNames.entrySet()) {
          xml = xml.replace("testcase name=\"" + xmlEscape(e.getKey()) + "\"",
              "testcase name=\"" + xmlEscape(e.getValue().id() + " " + e.getValue().title(Lang.EN, values)) + "\"");
        }
        Files.writeString(f, redactor.redact(xml));
      }
    }
  }

  static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** The summary.json contract other tools read. */
  public static String summary(RunReport r, Lang lang, Map<String, String> values) {
    ObjectNode root = JSON.createObjectNode();
    root.put("lab", r.lab());
    root.put("mode", r.mode().id());
    root.put("startedAt", r.startedAt().toString());
    root.put("durationMs", r.durationMs());
    ArrayNode checks = root.putArray("checks");
    for (CheckResult c : r.results()) {
      ObjectNode n = checks.addObject();
      n.put("id", c.check().id());
      n.put("step", c.check().step().name());
      n.put("titleZh", c.check().title(Lang.ZH, values));
      n.put("titleEn", c.check().title(Lang.EN, values));
      ArrayNode tags = n.putArray("tags");
      new TreeSet<>(c.check().tags()).forEach(tags::add);
      n.put("mandatory", c.check().mandatory());
      n.put("status", c.status().name());
      if (c.knownIssue()) {
        n.put("knownIssue", true);
      }
      n.put("message", c.message());
      n.put("remediation", c.remediation());
      ArrayNode ev = n.putArray("evidence");
      c.evidence().forEach(ev::add);
    }
    ObjectNode totals = root.putObject("totals");
    r.totals().forEach((s, v) -> totals.put(s.name(), v));
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
