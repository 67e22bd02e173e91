package dev.regcheck.run;

import java.util.List;
import java.util.ArrayList;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.JsonNode;
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

/** Writes a run's summary.json and checklist.md, and points {@code reports/latest} at the run. */
public final class Reports {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  static void write(RunReport r, Lang lang, Map<String, String> values, Path reportsRoot, Redactor redactor) {
    try {
      Path junit = r.dir().resolve("junit");
      Files.createDirectories(junit);
      Files.writeString(junit.resolve("TEST-regcheck.xml"), redactor.redact(JunitXml.of(r, lang, values)));
      AllureResults.align(r.dir().resolve("allure-results"), r.results(), lang);
      // redacted value by value: a pattern run over serialized JSON can eat an escape and break the file
      Files.writeString(r.dir().resolve("summary.json"), summary(r, lang, values, redactor));
      Files.writeString(r.dir().resolve("checklist.md"), redactor.redact(Checklist.markdown(r, lang, values)));
      Files.writeString(r.dir().resolve("checklist.html"), redactor.redact(Checklist.html(r, lang, values)));
      Path latest = reportsRoot.resolve("latest");
      Files.deleteIfExists(latest);
      Files.createSymbolicLink(latest, reportsRoot.toAbsolutePath().relativize(r.dir().toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + r.dir(), e);
    }
  }

  private static JsonNode redacted(JsonNode node, Redactor redactor) {
    if (node.isTextual()) {
      return TextNode.valueOf(redactor.redact(node.textValue()));
    }
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      names.forEach(name -> object.set(name, redacted(object.get(name), redactor)));
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, redacted(array.get(i), redactor));
      }
    }
    return node;
  }

  /** The summary.json contract other tools read. */
  public static String summary(RunReport r, Lang lang, Map<String, String> values) {
    return summary(r, lang, values, Redactor.shapesOnly());
  }

  /** The summary with every string value passed through {@code redactor} before it is encoded. */
  static String summary(RunReport r, Lang lang, Map<String, String> values, Redactor redactor) {
    ObjectNode root = JSON.createObjectNode();
    root.put("lab", r.lab());
    root.put("mode", r.mode().id());
    root.put("startedAt", r.startedAt().toString());
    root.put("durationMs", r.durationMs());
    if (!r.snapshot().isEmpty()) {
      // judged from a capture, not a live cluster: which, when, of what cluster
      ObjectNode snapshot = root.putObject("snapshot");
      r.snapshot().forEach(snapshot::put);
    }
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
      n.put("message", c.message(lang));
      n.put("messageEn", c.message());
      n.put("remediation", c.remediation());
      ArrayNode ev = n.putArray("evidence");
      c.evidence().forEach(ev::add);
    }
    ObjectNode totals = root.putObject("totals");
    r.totals().forEach((s, v) -> totals.put(s.name(), v));
    try {
      return JSON.writeValueAsString(redacted(root, redactor));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
