package dev.regcheck.session;

import dev.regcheck.result.Redactor;
import io.qameta.allure.Allure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evidence for a check: written under {@code <report>/evidence/<check>/} and attached to the
 * check's Allure result. Everything passes through the run's {@link Redactor} first; there is no
 * other way to attach.
 */
public final class Evidence {

  private final Path dir;
  private final Redactor redactor;
  private final Map<String, List<String>> files = new ConcurrentHashMap<>();

  Evidence(Path reportDir, Redactor redactor) {
    this.dir = reportDir == null ? null : reportDir.resolve("evidence");
    this.redactor = redactor;
  }

  /** Attaches a text to the check and returns its report-relative path (or the name, when no report is written). */
  public String attach(String checkId, String name, String text) {
    String safe = redactor.redact(text);
    String file = name.replaceAll("[^A-Za-z0-9._-]+", "-");
    String ext = file.matches(".*\\.(txt|yaml|log|json|pem)$") ? file.substring(file.lastIndexOf('.')) : ".txt";
    if (!file.endsWith(ext)) {
      file = file + ext;
    }
    Allure.addAttachment(name, ext.equals(".yaml") ? "text/yaml" : ext.equals(".json") ? "application/json" : "text/plain",
        safe, ext);
    if (dir == null) {
      return name;
    }
    try {
      Path target = dir.resolve(checkId).resolve(file);
      Files.createDirectories(target.getParent());
      Files.writeString(target, safe, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String rel = "evidence/" + checkId + "/" + file;
    files.computeIfAbsent(checkId, k -> new ArrayList<>()).add(rel);
    return rel;
  }

  public List<String> of(String checkId) {
    return List.copyOf(files.getOrDefault(checkId, List.of()));
  }
}
