package dev.regcheck.run;

import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.Need;
import dev.regcheck.catalog.Step;
import dev.regcheck.result.Status;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The procedure as a picture (inline SVG, generated from the catalog): the twelve steps in their
 * order, two rows of six read as a snake, and, dashed, where a step's checks need an earlier step's
 * (its prerequisites). Coloured by each step's worst status in a run; blank (a worksheet) without
 * one. Each box links to its step's section of the page. 720 × 320 user units: fits A4 printed.
 */
final class ProcedureDiagram {
  private static final int W = 104;
  private static final int H = 64;
  private static final int GAP = 16;
  private static final int TOP = 90;
  private static final int BOTTOM = 220;

  private ProcedureDiagram() {}

  /**
   * The step-level prerequisites: an earlier step one of whose checks a later step's check needs to
   * pass (the conditional "blocked when absent" needs would draw every step to S01: the catalog
   * reference lists them).
   */
  static Set<List<Step>> edges(List<CheckDef> checks) {
    Map<String, Step> stepOf = new java.util.HashMap<>();
    checks.forEach(c -> stepOf.put(c.id(), c.step()));
    Set<List<Step>> edges = new LinkedHashSet<>();
    for (CheckDef c : checks) {
      for (Need n : c.needs()) {
        Step from = stepOf.get(n.check());
        if (n.kind() == Need.Kind.PASS && from != null && from != c.step() && from.ordinal() + 1 != c.step().ordinal()) {
          edges.add(List.of(from, c.step()));
        }
      }
    }
    return edges;
  }

  /** The diagram; {@code worst} colours each step (null: a blank worksheet with a tick box per step). */
  static String svg(List<CheckDef> checks, Lang lang, Map<Step, Status> worst) {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg class=\"procedure\" viewBox=\"0 0 720 320\" width=\"100%\" role=\"img\" aria-label=\"")
        .append(lang == Lang.ZH ? "操作步骤图" : "the procedure").append("\">\n")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
            + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
    Step[] steps = Step.values();
    for (int i = 0; i + 1 < steps.length; i++) { // the procedure's order
      int[] a = centre(steps[i]);
      int[] b = centre(steps[i + 1]);
      if (a[1] == b[1]) {
        int dir = b[0] > a[0] ? 1 : -1;
        line(sb, a[0] + dir * W / 2, a[1], b[0] - dir * W / 2, b[1]);
      } else {
        line(sb, a[0], a[1] + H / 2, b[0], b[1] - H / 2);
      }
    }
    for (List<Step> e : edges(checks)) {
      int[] a = centre(e.get(0));
      int[] b = centre(e.get(1));
      // within the top row: above it; within the bottom row: below it; from the top row down: between them
      boolean topRow = a[1] == TOP && b[1] == TOP;
      boolean bottomRow = a[1] == BOTTOM && b[1] == BOTTOM;
      int bend = topRow ? TOP - H / 2 - 40 : bottomRow ? BOTTOM + H / 2 + 40 : (a[1] + b[1]) / 2;
      int ay = topRow ? a[1] - H / 2 : a[1] + H / 2;
      int by = bottomRow ? b[1] + H / 2 : b[1] - H / 2;
      sb.append("<path d=\"M").append(a[0]).append(',').append(ay).append(" Q").append((a[0] + b[0]) / 2).append(',')
          .append(bend).append(' ').append(b[0]).append(',').append(by)
          .append("\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" marker-end=\"url(#arrow)\"/>\n");
    }
    for (Step s : steps) {
      int[] c = centre(s);
      Status st = worst == null ? null : worst.get(s);
      sb.append("<a href=\"#").append(s.name()).append("\"><rect x=\"").append(c[0] - W / 2).append("\" y=\"")
          .append(c[1] - H / 2).append("\" width=\"").append(W).append("\" height=\"").append(H)
          .append("\" rx=\"6\" fill=\"").append(fill(st)).append("\" stroke=\"").append(stroke(st)).append("\"/>")
          .append("<text x=\"").append(c[0]).append("\" y=\"").append(c[1] - 14).append("\" text-anchor=\"middle\" "
              + "font-weight=\"700\" font-size=\"13\">").append(s.name())
          .append(st == null ? "" : " " + st.name()).append("</text>");
      String title = s.title(lang);
      List<String> lines = wrap(title, lang == Lang.ZH ? 12 : 17);
      for (int i = 0; i < lines.size() && i < 3; i++) {
        sb.append("<text x=\"").append(c[0]).append("\" y=\"").append(c[1] + 5 + i * 11)
            .append("\" text-anchor=\"middle\" font-size=\"9.5\">").append(Checklist.html(lines.get(i))).append("</text>");
      }
      if (worst == null) {
        sb.append("<rect x=\"").append(c[0] + W / 2 - 16).append("\" y=\"").append(c[1] - H / 2 + 5)
            .append("\" width=\"11\" height=\"11\" fill=\"#fff\" stroke=\"#333\"/>");
      }
      sb.append("</a>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  /** Each step's worst status: FAIL or ERROR, then BLOCKED, WARN, SKIP (only when nothing else), PASS. */
  static Map<Step, Status> worst(RunReport r) {
    Map<Step, Status> worst = new java.util.EnumMap<>(Step.class);
    List<Status> order = List.of(Status.ERROR, Status.FAIL, Status.BLOCKED, Status.WARN, Status.PASS, Status.SKIP);
    r.results().forEach(c -> worst.merge(c.check().step(), c.status(),
        (a, b) -> order.indexOf(a) <= order.indexOf(b) ? a : b));
    return worst;
  }

  /** Two rows of six, read as a snake: S01–S06 left to right, S07–S12 right to left. */
  static int[] centre(Step s) {
    int i = s.ordinal();
    int col = i < 6 ? i : 11 - i;
    return new int[] {W / 2 + 4 + col * (W + GAP), i < 6 ? TOP : BOTTOM};
  }

  private static void line(StringBuilder sb, int x1, int y1, int x2, int y2) {
    sb.append("<line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2).append("\" y2=\"")
        .append(y2).append("\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>\n");
  }

  /** Lines of at most {@code width} characters, cut at a space or between two characters not both Latin letters or digits. */
  static List<String> wrap(String text, int width) {
    if (text.length() <= width) {
      return List.of(text);
    }
    int cut = -1;
    for (int i = Math.min(width, text.length() - 1); i > 0 && cut < 0; i--) {
      char before = text.charAt(i - 1);
      char at = text.charAt(i);
      if (at == ' ' || !(latin(before) && latin(at))) {
        cut = i;
      }
    }
    cut = cut <= 0 ? width : cut;
    List<String> lines = new java.util.ArrayList<>();
    lines.add(text.substring(0, cut).strip());
    lines.addAll(wrap(text.substring(cut).strip(), width));
    return lines;
  }

  private static boolean latin(char c) {
    return c < 128 && Character.isLetterOrDigit(c);
  }

  private static String fill(Status s) {
    if (s == null) {
      return "#fff";
    }
    return switch (s) {
      case PASS -> "#dafbe1";
      case WARN -> "#fff8c5";
      case FAIL, ERROR -> "#ffebe9";
      case BLOCKED -> "#fbefff";
      case SKIP -> "#f6f8fa";
    };
  }

  private static String stroke(Status s) {
    if (s == null) {
      return "#333";
    }
    return switch (s) {
      case PASS -> "#1a7f37";
      case WARN -> "#9a6700";
      case FAIL, ERROR -> "#cf222e";
      case BLOCKED -> "#8250df";
      case SKIP -> "#57606a";
    };
  }
}
