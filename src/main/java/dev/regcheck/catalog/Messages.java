package dev.regcheck.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words a check says, in both languages: templates kept beside the catalog ({@code messages.txt}),
 * each an English sentence with its Chinese variant. The harness writes its messages in English
 * (the text the code and its tests read); {@link #render} finds the template a message was made
 * from and writes its Chinese variant with the same values. Values are verbatim (object names,
 * commands, quoted API and tool errors) unless a placeholder says {@code {name:msg}}: then the value
 * is itself a message (a blocker's reason) and is rendered in turn.
 *
 * <p>A message no template covers stays English: the zh fault matrix fails on any such message.
 */
public final class Messages {
  /** One template: its English and Chinese variants and the pattern that recognises the English. */
  public record Template(String en, String zh, int line, Pattern pattern, List<Slot> slots, int literal,
      List<String> chunks) {
    /**
     * Whether the text holds the template's literal text in order (first chunk a prefix, last a
     * suffix): a cheap test before the pattern, whose lazy groups backtrack on long messages.
     */
    boolean mayMatch(String text) {
      if (!chunks.get(0).isEmpty() && !text.startsWith(chunks.get(0))) {
        return false;
      }
      String last = chunks.get(chunks.size() - 1);
      if (!last.isEmpty() && !text.endsWith(last)) {
        return false;
      }
      int at = chunks.get(0).length();
      for (int i = 1; i < chunks.size() - 1; i++) {
        int found = text.indexOf(chunks.get(i), at);
        if (found < 0) {
          return false;
        }
        at = found + chunks.get(i).length();
      }
      return true;
    }

    /** The placeholder names, in order of appearance. */
    public List<String> placeholders(String text) {
      List<String> names = new ArrayList<>();
      Matcher m = SLOT.matcher(text);
      while (m.find()) {
        names.add(m.group(1) + (m.group(2) == null ? "" : ":" + m.group(2)));
      }
      return names;
    }
  }

  /**
   * A placeholder: its name, and what its value is: verbatim ({@code {name}}; {@code {name:word}} when
   * it holds no space, as an object's name or a check's id), a message rendered in
   * turn ({@code {name:msg}}) or messages joined by "; " ({@code {name:list}}), each rendered.
   */
  public record Slot(String name, String kind) {
    boolean verbatim() {
      return kind == null || "word".equals(kind);
    }
  }

  private static final Pattern SLOT = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)(?::(msg|list|word))?}");
  private static final Pattern CJK = Pattern.compile("[\\u4e00-\\u9fff]");
  private static final List<Template> TEMPLATES = load();

  private Messages() {}

  /** Every template, in the order they are tried (see {@link #parse}). */
  public static List<Template> templates() {
    return TEMPLATES;
  }

  /** Whether the text holds Chinese. */
  public static boolean hasChinese(String text) {
    return CJK.matcher(text).find();
  }

  /** The message in {@code lang}: itself in English; in Chinese, its template's zh variant filled in. */
  public static String render(String message, Lang lang) {
    if (lang == Lang.EN || message == null || message.isEmpty() || hasChinese(message)) {
      return message;
    }
    return render(message, 0);
  }

  private static String render(String message, int depth) {
    if (depth > 6) {
      return message;
    }
    String text = message.strip();
    if (text.isEmpty()) {
      return message;
    }
    // whole first: a quoted event may span lines with the harness's words after it
    Optional<String> whole = renderWhole(text, depth);
    if (whole.isPresent()) {
      return whole.get();
    }
    // else a multi-line message (evidence, a quoted log) has its first line rendered; the rest is quoted
    int nl = message.indexOf('\n');
    if (nl >= 0) {
      return render(message.substring(0, nl), depth) + message.substring(nl);
    }
    // a message with notes after it ("…; reached through …"): each part in turn
    return text.contains("; ") ? renderList(text, depth) : message;
  }

  /**
   * Parts joined by "; ", each the shortest run of parts a template covers (a part may hold "; "
   * itself, as "… is not updating endpoints; see oc get co …" does); a part none covers stays.
   */
  private static List<String> parts(String joined) {
    List<String> parts = List.of(joined.split("; "));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); ) {
      // the shortest run a template covers: an item whose value is text ("is {state}") must not eat the next
      int end = i + 1;
      while (end <= parts.size() && templateOf(String.join("; ", parts.subList(i, end))).isEmpty()) {
        end++;
      }
      end = end > parts.size() ? i + 1 : end;
      out.add(String.join("; ", parts.subList(i, end)));
      i = end;
    }
    return out;
  }

  /** A template that covers a text, with the values it found. */
  private record Match(Template template, Matcher matcher) {}

  /** The first template, in order, that covers all of {@code text}. */
  private static Optional<Match> match(String text) {
    for (Template t : TEMPLATES) {
      if (t.mayMatch(text)) {
        Matcher m = t.pattern().matcher(text);
        if (m.matches()) {
          return Optional.of(new Match(t, m));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> renderWhole(String text, int depth) {
    return match(text).map(m -> fill(m.template(), m.matcher(), depth));
  }

  /** The template that covers {@code message}, if any. */
  public static Optional<Template> templateOf(String message) {
    return match(message.strip()).map(Match::template);
  }

  private static String fill(Template t, Matcher m, int depth) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < t.slots().size(); i++) {
      Slot s = t.slots().get(i);
      String v = m.group(i + 1);
      values.putIfAbsent(s.name(), s.verbatim() ? v : "list".equals(s.kind()) ? renderList(v, depth + 1)
          : render(v, depth + 1));
    }
    Matcher z = SLOT.matcher(t.zh());
    StringBuilder out = new StringBuilder();
    while (z.find()) {
      z.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(z.group(1), z.group())));
    }
    z.appendTail(out);
    return out.toString();
  }

  private static String renderList(String joined, int depth) {
    List<String> out = new ArrayList<>();
    for (String part : parts(joined)) {
      out.add(renderWhole(part, depth).orElse(part));
    }
    return String.join("；", out);
  }

  /**
   * The phrases of {@code message} no template covers: the message itself, or the value of a
   * {@code msg} or {@code list} placeholder (a verbatim value is never a gap). Empty when the whole
   * message renders in Chinese.
   */
  public static List<String> gaps(String message) {
    List<String> out = new ArrayList<>();
    String text = message == null ? "" : message.strip();
    gaps(templateOf(text).isPresent() || text.indexOf('\n') < 0 ? text : text.substring(0, text.indexOf('\n')).strip(),
        0, out);
    return out;
  }

  private static void gaps(String text, int depth, List<String> out) {
    if (text.isEmpty() || depth > 6 || hasChinese(text)) {
      return;
    }
    if (templateOf(text).isEmpty() && text.contains("; ")) {
      parts(text).forEach(part -> gapsOfOne(part, depth, out));
      return;
    }
    gapsOfOne(text, depth, out);
  }

  private static void gapsOfOne(String text, int depth, List<String> out) {
    Optional<Match> found = match(text);
    if (found.isEmpty()) {
      out.add(text);
      return;
    }
    List<Slot> slots = found.get().template().slots();
    Matcher m = found.get().matcher();
    for (int i = 0; i < slots.size(); i++) {
      if ("msg".equals(slots.get(i).kind())) {
        gaps(m.group(i + 1).strip(), depth + 1, out);
      } else if ("list".equals(slots.get(i).kind())) {
        for (String part : parts(m.group(i + 1))) {
          gapsOfOne(part.strip(), depth + 1, out);
        }
      }
    }
  }

  private static List<Template> load() {
    try (InputStream in = Messages.class.getResourceAsStream("messages.txt")) {
      if (in == null) {
        throw new IllegalStateException("messages.txt is missing beside the catalog");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses the template file: {@code en: …} then {@code zh: …} lines, blank lines and {@code #}
   * comments between. A malformed file fails at load naming its line, so a build never ships one.
   */
  static List<Template> parse(String text) {
    List<Template> out = new ArrayList<>();
    String en = null;
    int enLine = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("en: ")) {
        if (en != null) {
          throw new IllegalStateException("messages.txt line " + enLine + ": en without zh");
        }
        en = line.substring(4);
        enLine = i + 1;
      } else if (line.startsWith("zh: ")) {
        if (en == null) {
          throw new IllegalStateException("messages.txt line " + (i + 1) + ": zh without en");
        }
        out.add(template(en, line.substring(4), enLine));
        en = null;
      } else {
        throw new IllegalStateException("messages.txt line " + (i + 1) + ": expected 'en: ' or 'zh: ', got '" + line + "'");
      }
    }
    if (en != null) {
      throw new IllegalStateException("messages.txt line " + enLine + ": en without zh");
    }
    // a template that starts with words is tried before one that starts with a value, which could
    // swallow a frame's words ("blocked by S08.3: FAIL …" is a blocker before it is a certificate);
    // then the one with more words first
    out.sort(Comparator.comparing((Template t) -> t.chunks().get(0).isEmpty())
        .thenComparing(Comparator.comparingInt(Template::literal).reversed()));
    return List.copyOf(out);
  }

  private static Template template(String en, String zh, int line) {
    StringBuilder regex = new StringBuilder();
    List<Slot> slots = new ArrayList<>();
    List<String> chunks = new ArrayList<>();
    Matcher m = SLOT.matcher(en);
    int at = 0;
    int literal = 0;
    while (m.find()) {
      regex.append(Pattern.quote(en.substring(at, m.start())));
      chunks.add(en.substring(at, m.start()));
      literal += m.start() - at;
      // a verbatim value may be empty ("its storage class '' is not the claim's 'lab-nfs'"); a name or message may not
      regex.append("word".equals(m.group(2)) ? "(\\S+?)" : m.group(2) == null ? "(.*?)" : "(.+?)");
      slots.add(new Slot(m.group(1), m.group(2)));
      at = m.end();
    }
    regex.append(Pattern.quote(en.substring(at)));
    chunks.add(en.substring(at));
    literal += en.length() - at;
    return new Template(en, zh, line, Pattern.compile(regex.toString(), Pattern.DOTALL), List.copyOf(slots), literal,
        List.copyOf(chunks));
  }
}
