package dev.regcheck.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One check of checks.md: its id, titles, tags, whether it decides the exit code, what it needs
 * from earlier checks and why ({@link Need}), and what to do when it fails.
 *
 * @param command the procedure's own command, with {@code ${key}} placeholders filled from the
 *     profile (the lab profile's template values)
 */
public record CheckDef(
    String id,
    Step step,
    String titleZh,
    String titleEn,
    Set<String> tags,
    boolean mandatory,
    List<Need> needs,
    String hintZh,
    String hintEn,
    String command) {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

  /** The checks that must pass before this one means anything. */
  public List<String> prerequisites() {
    return needs.stream().filter(n -> n.kind() == Need.Kind.PASS).map(Need::check).toList();
  }

  /** The checks whose failure explains why the object this check inspects is absent. */
  public List<String> absenceExplainedBy() {
    return needs.stream().filter(n -> n.kind() == Need.Kind.EXPLAINS_ABSENCE).map(Need::check).toList();
  }

  public String title(Lang lang) {
    return lang == Lang.ZH ? titleZh : titleEn;
  }

  /** The title with placeholders filled. */
  public String title(Lang lang, Map<String, String> values) {
    return fill(title(lang), values);
  }

  /** What the checklist tells a person to do: a hint and the procedure's command, filled in. */
  public String remediation(Lang lang, Map<String, String> values) {
    String hint = lang == Lang.ZH ? hintZh : hintEn;
    return fill(hint, values) + (command.isEmpty() ? "" : ": " + fill(command, values));
  }

  public String hint(Lang lang, Map<String, String> values) {
    return fill(lang == Lang.ZH ? hintZh : hintEn, values);
  }

  public String command(Map<String, String> values) {
    return fill(command, values);
  }

  /** Markdown: the hint, then the command as code. */
  public String remediationMarkdown(Lang lang, Map<String, String> values) {
    return hint(lang, values) + (command.isEmpty() ? "" : " — `" + command(values).replace("`", "'") + "`");
  }

  /** Replaces {@code ${key}}; an unknown key stays visible rather than vanishing. */
  public static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
