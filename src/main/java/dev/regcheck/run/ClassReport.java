package dev.regcheck.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.Lang;
import dev.regcheck.result.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report of many labs checked in one go (a class of embedded labs, or a fleet of clusters):
 * {@code class.json} ({@code {"labs":[{"name","faults","summary","totals",…}]}}) and {@code class.html}
 * (one row per lab, one column per check, each cell coloured by its status and linking to that check
 * in the lab's own checklist), written from each lab's {@code labs/<name>/latest/summary.json}.
 */
public final class ClassReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One lab of the class as its run ended.
   *
   * @param name {@code lab-3}, or the profile's name
   * @param faults the faults it was started with (none for a cluster)
   * @param exitCode the lab's run's exit code (0 passed, 1 failed, 2 the harness could not run it)
   * @param durationMs wall time of the lab's process, its lab's start included
   * @param peakRssBytes the peak resident memory of the lab's process tree (JVM, registries, router, NFS)
   * @param error the last line the lab's process printed when it wrote no report, else empty
   */
  public record Lab(String name, List<String> faults, int exitCode, long durationMs, long peakRssBytes,
      Optional<String> error) {
    public Lab {
      faults = List.copyOf(faults);
    }
  }

  /** A lab's results as its summary.json gives them: check id → status, and the totals. */
  record Read(Map<String, String> statuses, Map<Status, Integer> totals) {}

  private ClassReport() {}

  /** Where a lab's own report is: {@code labs/<name>}, holding {@code latest/} and its console. */
  public static Path labDir(Path classDir, String name) {
    return classDir.resolve("labs").resolve(name);
  }

  /**
   * Writes class.json and class.html into {@code classDir}; returns the exit code: 0 when every lab passed.
   *
   * @param peakRssBytes the whole class's resident memory at its peak (every lab's process tree at once)
   */
  public static int write(Path classDir, String title, Instant startedAt, long durationMs, int parallel,
      long peakRssBytes, List<Lab> labs, Lang lang) {
    ObjectNode root = JSON.createObjectNode();
    root.put("title", title);
    root.put("startedAt", startedAt.toString());
    root.put("durationMs", durationMs);
    root.put("parallel", parallel);
    root.put("peakRssMiB", peakRssBytes / (1024 * 1024));
    ArrayNode out = root.putArray("labs");
    Map<String, Read> reads = new LinkedHashMap<>();
    int exit = 0;
    for (Lab lab : labs) {
      Read read = read(classDir, lab.name());
      reads.put(lab.name(), read);
      ObjectNode n = out.addObject();
      n.put("name", lab.name());
      ArrayNode faults = n.putArray("faults");
      lab.faults().forEach(faults::add);
      Path summary = summaryOf(classDir, lab.name());
      if (Files.isRegularFile(summary)) {
        n.put("summary", classDir.relativize(summary).toString());
      } else {
        n.putNull("summary");
      }
      ObjectNode totals = n.putObject("totals");
      read.totals().forEach((s, v) -> totals.put(s.name(), v));
      n.put("exitCode", lab.exitCode());
      n.put("durationMs", lab.durationMs());
      n.put("peakRssMiB", lab.peakRssBytes() / (1024 * 1024));
      lab.error().ifPresent(e -> n.put("error", e));
      ObjectNode checks = n.putObject("checks");
      read.statuses().forEach(checks::put);
      exit = Math.max(exit, lab.exitCode() == 0 ? 0 : 1);
    }
    root.put("exitCode", exit);
    try {
      Files.createDirectories(classDir);
      Files.writeString(classDir.resolve("class.json"), JSON.writeValueAsString(root));
      Files.writeString(classDir.resolve("class.html"), html(title, startedAt, durationMs, labs, reads, lang));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the class report to " + classDir, e);
    }
    return exit;
  }

  static Path summaryOf(Path classDir, String name) {
    return labDir(classDir, name).resolve("latest").resolve("summary.json");
  }

  /** The lab's summary.json; no statuses when it wrote none (its process failed before the report). */
  static Read read(Path classDir, String name) {
    Path summary = summaryOf(classDir, name);
    Map<String, String> statuses = new LinkedHashMap<>();
    Map<Status, Integer> totals = new EnumMap<>(Status.class);
    if (!Files.isRegularFile(summary)) {
      return new Read(statuses, totals);
    }
    try {
      JsonNode root = JSON.readTree(summary.toFile());
      for (JsonNode c : root.path("checks")) {
        String status = c.path("status").asText();
        statuses.put(c.path("id").asText(), status);
        totals.merge(Status.valueOf(status), 1, Integer::sum);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot read " + summary + ": " + e.getMessage(), e);
    }
    return new Read(statuses, totals);
  }

  private static String html(String title, Instant startedAt, long durationMs, List<Lab> labs, Map<String, Read> reads,
      Lang lang) {
    List<CheckDef> checks = Catalog.all();
    StringBuilder sb = new StringBuilder("<!doctype html>\n<html lang=\"").append(lang == Lang.ZH ? "zh" : "en")
        .append("\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(Checklist.html(title)).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222}\n.meta{color:#666}\n")
        .append("table{border-collapse:collapse}\nth,td{border:1px solid #ddd;padding:.2rem .3rem;text-align:center;")
        .append("font-size:.8em}\nth.lab,td.lab{text-align:left;white-space:nowrap}\n")
        .append("th.id{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:500}\n")
        .append("td a{display:block;color:inherit;text-decoration:none}\n")
        .append(".PASS{background:#dafbe1}.FAIL{background:#ffcecb}.WARN{background:#fff1b3}.BLOCKED{background:#e8dbff}")
        .append(".SKIP{background:#eaeef2}.ERROR{background:#ff8182}.NONE{background:#fff}\n")
        .append("</style>\n</head>\n<body>\n<h1>").append(Checklist.html(title)).append("</h1>\n<p class=\"meta\">")
        .append(labs.size()).append(lang == Lang.ZH ? " 个实验环境 · " : " labs · ").append(startedAt).append(" · ")
        .append(durationMs).append(" ms</p>\n<table>\n<tr><th class=\"lab\">")
        .append(lang == Lang.ZH ? "实验环境" : "lab").append("</th><th class=\"lab\">")
        .append(lang == Lang.ZH ? "结果" : "result").append("</th>");
    for (CheckDef c : checks) {
      sb.append("<th class=\"id\" title=\"").append(Checklist.html(c.title(lang, Map.of()))).append("\">")
          .append(c.id()).append("</th>");
    }
    sb.append("</tr>\n");
    for (Lab lab : labs) {
      Read read = reads.get(lab.name());
      String checklist = "labs/" + lab.name() + "/latest/checklist.html";
      sb.append("<tr><td class=\"lab\"><a href=\"").append(Checklist.html(checklist)).append("\">")
          .append(Checklist.html(lab.name())).append("</a>");
      if (!lab.faults().isEmpty()) {
        sb.append(" <span class=\"meta\">").append(Checklist.html(String.join(", ", lab.faults()))).append("</span>");
      }
      sb.append("</td><td class=\"lab\">").append(Checklist.html(outcome(lab, read)));
      sb.append("</td>");
      for (CheckDef c : checks) {
        String status = read.statuses().get(c.id());
        if (status == null) {
          sb.append("<td class=\"NONE\"></td>");
        } else {
          sb.append("<td class=\"").append(status).append("\" title=\"").append(c.id()).append(' ').append(status)
              .append("\"><a href=\"").append(Checklist.html(checklist)).append('#').append(c.id()).append("\">")
              .append(status.charAt(0)).append("</a></td>");
        }
      }
      sb.append("</tr>\n");
    }
    return sb.append("</table>\n</body>\n</html>\n").toString();
  }

  /** The one-line outcome of a lab whose report is in {@code classDir}. */
  public static String outcome(Lab lab, Path classDir) {
    return outcome(lab, read(classDir, lab.name()));
  }

  /** {@code exit 1 · 39 PASS, 1 FAIL, 3 BLOCKED · 27 s · 412 MiB}, or the lab's error. */
  static String outcome(Lab lab, Read read) {
    StringBuilder s = new StringBuilder("exit ").append(lab.exitCode());
    if (read.totals().isEmpty()) {
      s.append(" · ").append(lab.error().orElse("no report"));
    } else {
      s.append(" · ");
      String sep = "";
      for (Map.Entry<Status, Integer> e : read.totals().entrySet()) {
        s.append(sep).append(e.getValue()).append(' ').append(e.getKey().name());
        sep = ", ";
      }
    }
    return s.append(" · ").append(lab.durationMs() / 1000).append(" s · ")
        .append(lab.peakRssBytes() / (1024 * 1024)).append(" MiB").toString();
  }
}
