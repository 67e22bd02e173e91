package dev.regcheck.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP authentication challenge ({@code WWW-Authenticate}) and the status it came with, e.g.
 * {@code Bearer realm="https://…/openshift/token",service="…",scope="repository:ns/name:pull"}.
 *
 * @param scheme as sent ({@code Bearer}, {@code Basic}); empty when the answer carried no challenge
 * @param params the auth-params by lower-cased name, values unquoted
 */
public record Challenge(int status, String scheme, Map<String, String> params) {

  public Challenge {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** An answer without a challenge (such as {@code 200} from {@code /v2/}). */
  static Challenge none(int status) {
    return new Challenge(status, "", Map.of());
  }

  public boolean isBearer() {
    return "bearer".equalsIgnoreCase(scheme);
  }

  public boolean isBasic() {
    return "basic".equalsIgnoreCase(scheme);
  }

  public String realm() {
    return params.get("realm");
  }

  public String service() {
    return params.get("service");
  }

  /** Space-separated scopes, or null. */
  public String scope() {
    return params.get("scope");
  }

  /** {@code invalid_token}, {@code insufficient_scope}, … or null. */
  public String error() {
    return params.get("error");
  }

  /** Every challenge of every header value, in order. */
  static List<Challenge> parseAll(int status, List<String> headerValues) {
    List<Challenge> all = new ArrayList<>();
    for (String value : headerValues) {
      all.addAll(parse(status, value));
    }
    return all;
  }

  /**
   * Parses one header value (RFC 7235 §4.1): several comma-separated challenges, each a scheme
   * followed by {@code name=value} params whose values are tokens or quoted strings (which may hold
   * commas and backslash escapes). A token68 credential after a scheme is skipped. Never throws;
   * malformed input yields what could be read.
   */
  public static List<Challenge> parse(int status, String header) {
    List<Challenge> out = new ArrayList<>();
    Reader r = new Reader(header == null ? "" : header);
    while (true) {
      r.skip(" \t,");
      String scheme = r.token();
      if (scheme.isEmpty()) {
        if (r.atEnd()) {
          return out;
        }
        r.pos++; // a stray character: skip it
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        r.skip(" \t");
        int mark = r.pos;
        String name = r.token();
        r.skip(" \t");
        if (name.isEmpty() || !r.take('=')) {
          r.pos = mark; // the next challenge's scheme, or the end
          break;
        }
        r.skip(" \t");
        if (r.peek() == '=' || r.peek() == ',' || r.atEnd()) {
          r.skip("="); // token68 ("abc==") rather than a param
        } else {
          params.put(name.toLowerCase(Locale.ROOT), r.peek() == '"' ? r.quoted() : r.bare());
        }
        r.skip(" \t");
        if (!r.take(',')) {
          break;
        }
      }
      out.add(new Challenge(status, scheme, params));
    }
  }

  private static final class Reader {
    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? '\0' : s.charAt(pos);
    }

    boolean take(char c) {
      if (peek() == c && !atEnd()) {
        pos++;
        return true;
      }
      return false;
    }

    void skip(String chars) {
      while (!atEnd() && chars.indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    String token() {
      int start = pos;
      while (!atEnd() && s.charAt(pos) > ' ' && s.charAt(pos) < 127 && SEPARATORS.indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      return s.substring(start, pos);
    }

    /** An unquoted value: lenient, up to the next comma or blank (a URL realm sent unquoted). */
    String bare() {
      int start = pos;
      while (!atEnd() && s.charAt(pos) != ',' && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') {
        pos++;
      }
      return s.substring(start, pos);
    }

    /** A quoted string starting at the opening quote; an unterminated one runs to the end. */
    String quoted() {
      StringBuilder sb = new StringBuilder();
      pos++;
      while (!atEnd()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c == '\\' && !atEnd()) {
          c = s.charAt(pos++);
        }
        sb.append(c);
      }
      return sb.toString();
    }
  }
}
