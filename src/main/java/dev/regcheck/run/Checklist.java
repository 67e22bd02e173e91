package dev.regcheck.run;

import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.Messages;
import dev.regcheck.catalog.Need;
import dev.regcheck.catalog.Step;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The checklist a person reads: in the terminal, in checklist.md, and before a class ({@code regcheck list}). */
public final class Checklist {
  private Checklist() {}

  /** One line on top: "4 of 5 steps pass; first failure: S04.2 …". */
  public static String headline(RunReport r, Lang lang, Map<String, String> values) {
    int pass = r.passingSteps().size();
    int all = r.steps().size();
    Optional<CheckResult> first = r.firstFailure();
    if (lang == Lang.ZH) {
      return all + " 个步骤中 " + pass + " 个通过" + first.map(f -> "；第一个失败：" + f.check().id() + " "
          + f.check().title(lang, values) + " — " + f.message(lang)).orElse("");
    }
    return pass + " of " + all + " steps pass" + first.map(f -> "; first failure: " + f.check().id() + " "
        + f.check().title(lang, values) + " — " + f.message(lang)).orElse("");
  }

  /** The run's last line: steps passing, each status counted, time, where the reports are (no check named again). */
  public static String total(RunReport r, Lang lang) {
    int pass = r.passingSteps().size();
    int all = r.steps().size();
    return (lang == Lang.ZH ? all + " 个步骤中 " + pass + " 个通过" : pass + " of " + all + " steps pass") + " — "
        + totals(r) + " — " + r.durationMs() + " ms — " + r.dir();
  }

  public static String totals(RunReport r) {
    StringBuilder sb = new StringBuilder();
    r.totals().forEach((s, n) -> {
      if (n > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(s);
      }
    });
    return sb.toString();
  }

  public static String markdown(RunReport r, Lang lang, Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    sb.append("# regcheck — ").append(r.lab()).append(" (").append(r.mode().id()).append(")\n\n");
    sb.append("**").append(headline(r, lang, values)).append("**\n\n");
    sb.append(totals(r)).append(" · ").append(r.startedAt()).append(" · ").append(r.durationMs()).append(" ms\n");
    Map<String, String> said = said(r);
    for (Step step : r.steps()) {
      sb.append("\n## ").append(step.name()).append(' ').append(step.title(lang)).append("\n\n");
      sb.append(lang == Lang.ZH ? "| 检查 | 状态 | 说明 |\n|---|---|---|\n" : "| Check | Status | Detail |\n|---|---|---|\n");
      List<CheckResult> rs = r.results().stream().filter(x -> x.check().step() == step).toList();
      for (CheckResult c : rs) {
        sb.append("| ").append(c.check().id()).append(' ').append(cell(c.check().title(lang, values)))
            .append(c.check().mandatory() ? "" : lang == Lang.ZH ? "（可选）" : " (optional)")
            .append(" | ").append(badge(c.status())).append(" | ").append(cell(c.status() == Status.BLOCKED ? blocker(c, said, lang) : c.message(lang))).append(" |\n");
      }
      for (CheckResult c : rs) {
        if (c.status() == Status.FAIL || c.status() == Status.WARN || c.status() == Status.ERROR) {
          sb.append("\n- **").append(c.check().id()).append(' ').append(c.status()).append("** — ")
              .append(c.message(lang)).append('\n');
          if (!c.evidence().isEmpty()) {
            sb.append("  - ").append(lang == Lang.ZH ? "证据：" : "evidence: ");
            for (int i = 0; i < c.evidence().size(); i++) {
              String e = c.evidence().get(i);
              sb.append(i == 0 ? "" : ", ").append('[').append(e.substring(e.lastIndexOf('/') + 1)).append("](")
                  .append(e).append(')');
            }
            sb.append('\n');
          }
          sb.append("  - ").append(fix(lang))
              .append(c.check().remediationMarkdown(lang, values)).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /** The checklist with no cluster: what each step must achieve and the command that does it. */
  public static String plan(List<CheckDef> checks, Lang lang, Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    sb.append(lang == Lang.ZH ? "# OpenShift 内部镜像仓库检查清单\n" : "# OpenShift internal registry checklist\n");
    Step current = null;
    for (CheckDef c : checks) {
      if (c.step() != current) {
        current = c.step();
        sb.append("\n## ").append(current.name()).append(' ').append(current.title(lang)).append("\n\n");
      }
      sb.append("- [ ] **").append(c.id()).append("** ").append(c.title(lang, values))
          .append(c.mandatory() ? "" : lang == Lang.ZH ? "（可选）" : " (optional)")
          .append(" `[").append(String.join(", ", new TreeSet<>(c.tags()))).append("]`\n")
          .append("  - ").append(fix(lang))
          .append(c.remediationMarkdown(lang, values)).append('\n');
      for (Need n : c.needs()) {
        sb.append("  - ").append(need(n, lang)).append('\n');
      }
    }
    return sb.toString();
  }

  /** Why a check needs an earlier one (the catalog's {@link Need}), for the checklist. */
  static String need(Need n, Lang lang) {
    if (lang == Lang.ZH) {
      return (n.kind() == Need.Kind.PASS ? "前提：" + n.check() + " 须通过："
          : "所检查的对象缺失时，若 " + n.check() + " 未通过则受阻于它：") + Messages.render(n.why(), lang);
    }
    return (n.kind() == Need.Kind.PASS ? "needs " + n.check() + " to pass: "
        : "if what it inspects is absent, blocked by " + n.check() + " when that failed: ") + n.why();
  }

  /**
   * The same checklist as a self-contained HTML page for handing out (no script, no external
   * request): every step in order, each check with a checkbox, its tags and the fix.
   */
  public static String planHtml(List<CheckDef> checks, Lang lang, Map<String, String> values) {
    String title = lang == Lang.ZH ? "OpenShift 内部镜像仓库检查清单" : "OpenShift internal registry checklist";
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"").append(lang == Lang.ZH ? "zh" : "en").append("\">\n<head>\n")
        .append("<meta charset=\"utf-8\">\n<title>").append(html(title)).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\n")
        .append("h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}\n")
        .append("li{list-style:none;margin:.6rem 0}\nul{padding-left:0}\n")
        .append(".id{font-weight:600;margin-right:.4rem}\n.tags{color:#666;font-size:.85em}\n")
        .append(".fix{margin:.2rem 0 0 1.6rem;color:#444}\ncode{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px;"
            + "font-size:.85em;white-space:pre-wrap;word-break:break-all}\n")
        .append("@media print{input{transform:scale(1.2)}}\nsvg.procedure{max-width:720px;margin:1rem 0}\n")
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(html(title)).append("</h1>\n").append(ProcedureDiagram.svg(checks, lang, null));
    Step current = null;
    for (CheckDef c : checks) {
      if (c.step() != current) {
        if (current != null) {
          sb.append("</ul>\n");
        }
        current = c.step();
        sb.append("<h2 id=\"").append(current.name()).append("\">").append(current.name()).append(' ')
            .append(html(current.title(lang))).append("</h2>\n<ul>\n");
      }
      sb.append("<li><label><input type=\"checkbox\"> <span class=\"id\">").append(c.id()).append("</span>")
          .append(html(c.title(lang, values)))
          .append(c.mandatory() ? "" : lang == Lang.ZH ? "（可选）" : " (optional)")
          .append(" <span class=\"tags\">[").append(html(String.join(", ", new TreeSet<>(c.tags()))))
          .append("]</span></label>\n<div class=\"fix\">").append(fix(lang))
          .append(html(c.hint(lang, values))).append(" <code>").append(html(c.command(values)))
          .append("</code></div></li>\n");
    }
    if (current != null) {
      sb.append("</ul>\n");
    }
    return sb.append("</body>\n</html>\n").toString();
  }

  /**
   * The run's checklist as a self-contained HTML page ({@code checklist.html}): the headline, every
   * step in order with its checks' status, and for each failure the reason, the evidence links
   * (relative to the run's folder) and the fix; BLOCKED checks say what blocks them.
   */
  public static String html(RunReport r, Lang lang, Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"").append(lang == Lang.ZH ? "zh" : "en").append("\">\n<head>\n")
        .append("<meta charset=\"utf-8\">\n<title>regcheck — ").append(html(r.lab())).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}\n")
        .append(".headline{font-size:1.15em;font-weight:600}\n.meta{color:#666}\n")
        .append("table{border-collapse:collapse;width:100%}\ntd{border-top:1px solid #ddd;padding:.35rem .5rem;vertical-align:top}\n")
        .append(".st{font-weight:700;white-space:nowrap}\n.PASS{color:#1a7f37}.FAIL{color:#cf222e}.WARN{color:#9a6700}")
        .append(".BLOCKED{color:#8250df}.SKIP{color:#57606a}.ERROR{color:#cf222e}\n")
        .append(".why{margin:.3rem 0 0}\ncode{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px;font-size:.85em;"
            + "white-space:pre-wrap;word-break:break-all}\nsvg.procedure{max-width:720px;margin:1rem 0}\n"
            + "@media print{svg.procedure{page-break-inside:avoid}}\n</style>\n</head>\n<body>\n")
        .append("<h1>regcheck — ").append(html(r.lab())).append(" (").append(r.mode().id()).append(")</h1>\n")
        .append("<p class=\"headline\">").append(html(headline(r, lang, values))).append("</p>\n")
        .append("<p class=\"meta\">").append(html(totals(r))).append(" · ").append(r.startedAt()).append(" · ")
        .append(r.durationMs()).append(" ms</p>\n")
        .append(ProcedureDiagram.svg(dev.regcheck.catalog.Catalog.all(), lang, ProcedureDiagram.worst(r)));
    Map<String, String> said = said(r);
    for (Step step : r.steps()) {
      sb.append("<h2 id=\"").append(step.name()).append("\">").append(step.name()).append(' ')
          .append(html(step.title(lang))).append("</h2>\n<table>\n");
      for (CheckResult c : r.results()) {
        if (c.check().step() != step) {
          continue;
        }
        sb.append("<tr id=\"").append(c.check().id()).append("\"><td class=\"st ").append(c.status()).append("\">")
            .append(c.status()).append("</td><td><b>").append(c.check().id()).append("</b> ")
            .append(html(c.check().title(lang, values)))
            .append(c.check().mandatory() ? "" : lang == Lang.ZH ? "（可选）" : " (optional)");
        if (!c.message().isEmpty()) {
          // a BLOCKED row names its blocker in one short line: the blocker's own row says why
          sb.append("<div class=\"why\">").append(html(c.status() == Status.BLOCKED ? blocker(c, said, lang)
              : c.message(lang))).append("</div>");
        }
        if (c.status() == Status.FAIL || c.status() == Status.WARN || c.status() == Status.ERROR) {
          if (!c.evidence().isEmpty()) {
            sb.append("<div class=\"why\">").append(lang == Lang.ZH ? "证据：" : "evidence: ");
            for (int i = 0; i < c.evidence().size(); i++) {
              String e = c.evidence().get(i);
              sb.append(i == 0 ? "" : ", ").append("<a href=\"").append(html(e)).append("\">")
                  .append(html(e.substring(e.lastIndexOf('/') + 1))).append("</a>");
            }
            sb.append("</div>");
          }
          sb.append("<div class=\"why\">").append(fix(lang))
              .append(html(c.check().hint(lang, values))).append(" <code>").append(html(c.check().command(values)))
              .append("</code></div>");
        }
        sb.append("</td></tr>\n");
      }
      sb.append("</table>\n");
    }
    return sb.append("</body>\n</html>\n").toString();
  }

  /**
   * "blocked by S01.1" (with "via …" and what is absent, such as "deployment image-registry does
   * not exist"), without the blocker's own message, which its own row says; {@code messageOf} gives
   * a check's message (null when unknown).
   */
  public static String blocker(String message, java.util.function.Function<String, String> messageOf) {
    java.util.regex.Matcher m = BLOCKED_BY.matcher(message);
    if (!m.lookingAt()) {
      return message;
    }
    String by = m.group(1);
    String rest = message.substring(m.end());
    String blockerMessage = messageOf.apply(m.group(2));
    if (blockerMessage != null && !blockerMessage.isBlank()) {
      int at = rest.indexOf(dev.regcheck.result.Text.firstLine(blockerMessage));
      if (at >= 0) {
        rest = rest.substring(0, at);
      }
    } else if (rest.matches("(FAIL|BLOCKED|ERROR|SKIP|WARN)\\b[\\s\\S]*")) {
      rest = "";
    } else if (rest.contains(" (S")) {
      rest = rest.substring(0, rest.indexOf(" (S"));
    }
    rest = rest.replaceAll("\\s*\\(S\\d\\d\\.\\d+ (FAIL|BLOCKED|ERROR|SKIP|WARN):?\\s*$", "")
        .replaceAll("^(FAIL|BLOCKED|ERROR|SKIP|WARN)\\s*$", "").strip();
    return rest.isEmpty() ? by : by + ": " + rest;
  }

  /** Each check's message as the harness wrote it, by id. */
  private static Map<String, String> said(RunReport r) {
    Map<String, String> said = new java.util.HashMap<>();
    r.results().forEach(c -> said.put(c.check().id(), c.message()));
    return said;
  }

  /** The label before a fix, in {@code lang}. */
  public static String fix(Lang lang) {
    return lang == Lang.ZH ? "修复：" : "fix: ";
  }

  /** A BLOCKED row's one short line, in {@code lang}; {@code said} maps each check to its English message. */
  public static String blocker(CheckResult c, Map<String, String> said, Lang lang) {
    return Messages.render(blocker(c.message(), said::get), lang);
  }

  private static final java.util.regex.Pattern BLOCKED_BY =
      java.util.regex.Pattern.compile("(blocked by (S\\d\\d\\.\\d+)(?: \\(via [^)]*\\))?): ");

  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** "  PASS  S01.1 title", for progress and the checklist. */
  public static String line(CheckResult c, Lang lang, Map<String, String> values) {
    return String.format("%-7s %s %s", c.status(), c.check().id(), c.check().title(lang, values));
  }

  static String badge(Status s) {
    return switch (s) {
      case PASS -> "✅ PASS";
      case FAIL -> "❌ FAIL";
      case WARN -> "⚠️ WARN";
      case SKIP -> "⏭️ SKIP";
      case BLOCKED -> "⛔ BLOCKED";
      case ERROR -> "💥 ERROR";
    };
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
