package dev.regcheck.run;

import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.Step;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML written from the run's results (one {@code testsuite} per step, one {@code testcase}
 * per check named after it), so that CI tools see the statuses every other report shows: FAIL is a
 * {@code failure} carrying the fix, ERROR an {@code error}, SKIP and BLOCKED are {@code skipped}
 * with the reason ("BLOCKED by …"), WARN passes with its reason in {@code system-out}. No JVM
 * property is ever written.
 */
final class JunitXml {
  private JunitXml() {}

  static String of(RunReport r, Lang lang, Map<String, String> values) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.append("<testsuites name=\"regcheck ").append(esc(r.lab())).append("\" tests=\"").append(r.results().size())
        .append("\" failures=\"").append(count(r.results(), Status.FAIL)).append("\" errors=\"")
        .append(count(r.results(), Status.ERROR)).append("\" skipped=\"")
        .append(count(r.results(), Status.SKIP) + count(r.results(), Status.BLOCKED)).append("\" time=\"")
        .append(seconds(r.durationMs())).append("\">\n");
    for (Step step : r.steps()) {
      List<CheckResult> checks = r.results().stream().filter(c -> c.check().step() == step).toList();
      xml.append("  <testsuite name=\"").append(esc(step.name() + " " + step.title(lang))).append("\" tests=\"")
          .append(checks.size()).append("\" failures=\"").append(count(checks, Status.FAIL)).append("\" errors=\"")
          .append(count(checks, Status.ERROR)).append("\" skipped=\"")
          .append(count(checks, Status.SKIP) + count(checks, Status.BLOCKED)).append("\" time=\"")
          .append(seconds(checks.stream().mapToLong(CheckResult::durationMs).sum())).append("\" timestamp=\"")
          .append(r.startedAt().toString().replaceAll("\\.\\d+Z$", "Z")).append("\">\n");
      for (CheckResult c : checks) {
        xml.append("    <testcase name=\"").append(esc(c.check().id() + " " + c.check().title(lang, values)))
            .append("\" classname=\"regcheck.").append(step.name()).append("\" time=\"").append(seconds(c.durationMs()))
            .append("\">");
        String message = c.message().isEmpty() ? c.status().name() : c.message(lang);
        String fix = "\n" + Checklist.fix(lang) + c.remediation();
        switch (c.status()) {
          case FAIL -> xml.append("\n      <failure type=\"FAIL\" message=\"").append(esc(firstLine(message)))
              .append("\">").append(esc(message + fix)).append("</failure>\n    ");
          case ERROR -> xml.append("\n      <error type=\"ERROR\" message=\"").append(esc(firstLine(message)))
              .append("\">").append(esc(message)).append("</error>\n    ");
          case SKIP, BLOCKED -> xml.append("\n      <skipped message=\"")
              .append(esc(c.status() == Status.BLOCKED ? "BLOCKED: " + message : message)).append("\"/>\n    ");
          case WARN -> xml.append("\n      <system-out>").append(esc("WARN: " + message
              + (c.knownIssue() ? "" : fix))).append("</system-out>\n    ");
          case PASS -> {
            if (!c.message().isEmpty()) {
              xml.append("\n      <system-out>").append(esc(c.message(lang))).append("</system-out>\n    ");
            }
          }
          default -> throw new IllegalStateException("status " + c.status());
        }
        xml.append("</testcase>\n");
      }
      xml.append("  </testsuite>\n");
    }
    return xml.append("</testsuites>\n").toString();
  }

  private static long count(List<CheckResult> results, Status status) {
    return results.stream().filter(c -> c.status() == status).count();
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** XML 1.0 text and attribute escaping; characters XML cannot hold become U+FFFD. */
  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r' ? '\uFFFD' : ch);
      }
    }
    return out.toString();
  }
}
