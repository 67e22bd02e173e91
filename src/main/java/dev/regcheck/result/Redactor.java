package dev.regcheck.result;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one mechanism every log line, message, attachment and report goes through so that no
 * token, password, private key or Authorization header leaves the harness. It removes the
 * secrets it was told about by value, and anything that looks like one by shape.
 */
public final class Redactor {

  static final String MASK = "<redacted>";

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\\s\\S]*?-----END \\1PRIVATE KEY-----");
  /** A block scalar after a secret-bearing key: "token: |" and its indented lines. */
  private static final Pattern BLOCK =
      Pattern.compile("(?m)(^([ \\t]*)\"?(?:token|password|httpSecret|tls\\.key)\"?:\\s*[|>][-+]?\\s*\\n)(?:\\2[ \\t]+.*(?:\\n|$))+");
  private static final List<Pattern> SHAPES = List.of(
      // PEM private keys of any kind
      PEM,
      // Authorization headers (any scheme); the value ends at a quote, a line end or a backslash (an
      // escaped line end or quote in JSON), so an encoded rendering keeps its escapes
      Pattern.compile("(?i)(authorization\"?\\s*[:=]\\s*\"?)[^\"\\\\\\r\\n]+"),
      // bearer / basic credentials wherever they appear
      Pattern.compile("(?i)(\\b(?:bearer|basic)\\s+)[A-Za-z0-9._~+/=-]{8,}"),
      // JWTs and OpenShift OAuth tokens
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
      Pattern.compile("sha256~[A-Za-z0-9_-]{16,}"),
      // credentials in URLs (proxy settings, registry mirrors): scheme://user:password@host
      Pattern.compile("(\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:)[^@\\s/]+(?=@)"),
      // environment variables whose name says secret, in KEY=value form (REGISTRY_HTTP_SECRET=...)
      Pattern.compile("(?i)(\\b[A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN)[A-Z0-9_]*=)[^\\s\"']+"),
      // env entries as YAML: "- name: X_SECRET" followed by "value: ..."
      Pattern.compile("(?im)(name:\\s*\"?[A-Za-z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN)[A-Za-z0-9_]*\"?\\s*\\n\\s*value:\\s*)"
          + "(?!<redacted>)(?:'[^'\\n]*'|\"[^\"\\n]*\"|\\S+)"),
      BLOCK,
      // key: value / "key": "value" for secret-bearing keys (YAML, JSON, properties); quoted values whole;
      // not field errors such as the router's spec.tls.key: Invalid value: "redacted key data"
      Pattern.compile("(?im)(\"?\\b(?:token|access_token|id_token|refresh_token|password|passwd|client-key-data"
          + "|client-key|tls\\.key|httpSecret)\"?\\s*[:=]\\s*)(?!<redacted>)(?!Invalid value: \\\\?\"redacted )(?:'[^'\\n]*'|\"[^\"\\n]*\"|[^\"\\s,}]+)"));

  private final List<String> known;

  private Redactor(List<String> known) {
    this.known = known;
  }

  /** A redactor that also removes these exact values (tokens and passwords the run resolved). */
  public static Redactor withSecrets(Collection<String> secrets) {
    List<String> k = new ArrayList<>();
    for (String s : secrets) {
      if (s != null && s.length() >= 4) {
        k.add(s);
      }
    }
    k.sort((a, b) -> b.length() - a.length());
    return new Redactor(List.copyOf(k));
  }

  public static Redactor shapesOnly() {
    return new Redactor(List.of());
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : known) {
      out = out.replace(s, MASK);
    }
    for (Pattern p : SHAPES) {
      Matcher m = p.matcher(out);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String keep = p == PEM || m.groupCount() < 1 || m.group(1) == null ? "" : m.group(1);
        m.appendReplacement(sb, Matcher.quoteReplacement(keep + MASK + (p == BLOCK ? "\n" : "")));
      }
      m.appendTail(sb);
      out = sb.toString();
    }
    return out;
  }
}
