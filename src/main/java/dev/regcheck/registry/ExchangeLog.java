package dev.regcheck.registry;

import dev.regcheck.result.Redactor;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The last HTTP exchanges of a client (50 by default), as evidence for a failing check. Secrets
 * are removed when an exchange is recorded, not only when it is rendered: {@code Authorization}
 * values are {@code <redacted>}, secret-looking query parameters are masked, and {@code token} /
 * {@code access_token} members of JSON bodies are masked. Bodies are kept only when textual, and
 * only their first {@value #BODY_LIMIT} bytes; blob content is never read for the log.
 */
public final class ExchangeLog {
  public static final int DEFAULT_CAPACITY = 50;
  static final int BODY_LIMIT = 2048;
  private static final String MASK = "<redacted>";
  private static final Pattern SECRET_PARAM =
      Pattern.compile("(?i)sig|.*(password|passwd|token|secret|signature|credential).*");
  /**
   * A JSON member holding a token; a value cut off by the body limit is masked to the end. The value's
   * loop is unrolled (runs of plain characters, possessively, between escapes): an alternation under a
   * star recurses once per character, and a 2 KiB token overflowed a 512 KiB thread stack.
   */
  static final Pattern TOKEN_MEMBER = Pattern.compile(
      "(\"(?:token|access_token|refresh_token|id_token)\"\\s*:\\s*\")[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"?");

  /**
   * One request and its answer, already redacted.
   *
   * @param status 0 when there was no answer; {@code failure} then says why
   * @param body the first bytes of a textual response body, or empty
   */
  public record Exchange(Instant at, String method, String url, List<String> requestHeaders, int status,
      List<String> responseHeaders, long millis, String body, String failure) {}

  private final int capacity;
  private final Deque<Exchange> entries = new ArrayDeque<>();

  public ExchangeLog() {
    this(DEFAULT_CAPACITY);
  }

  public ExchangeLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Records a request and its response; peeks at most {@link #BODY_LIMIT} bytes of a textual body. */
  void record(Request request, Response response) {
    add(new Exchange(Instant.ofEpochMilli(response.sentRequestAtMillis()), request.method(), url(request.url()),
        requestHeaders(request), response.code(), headers(response.headers()),
        response.receivedResponseAtMillis() - response.sentRequestAtMillis(), body(response), ""));
  }

  void recordFailure(Request request, String failure) {
    add(new Exchange(Instant.now(), request.method(), url(request.url()), requestHeaders(request), 0,
        List.of(), 0, "", failure));
  }

  private synchronized void add(Exchange exchange) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(exchange);
  }

  public synchronized List<Exchange> exchanges() {
    return List.copyOf(entries);
  }

  public synchronized void clear() {
    entries.clear();
  }

  /** The exchanges as text, oldest first, passed through {@code redactor} as a last line of defence. */
  public String render(Redactor redactor) {
    StringBuilder sb = new StringBuilder();
    for (Exchange e : exchanges()) {
      sb.append("> ").append(e.method()).append(' ').append(e.url()).append("   (").append(e.at()).append(")\n");
      e.requestHeaders().forEach(h -> sb.append("> ").append(h).append('\n'));
      if (e.status() == 0) {
        sb.append("! ").append(e.failure()).append('\n');
      } else {
        sb.append("< ").append(e.status()).append("   (").append(e.millis()).append(" ms)\n");
        e.responseHeaders().forEach(h -> sb.append("< ").append(h).append('\n'));
        if (!e.body().isEmpty()) {
          sb.append(e.body()).append(e.body().endsWith("\n") ? "" : "\n");
        }
      }
      sb.append('\n');
    }
    return redactor.redact(sb.toString());
  }

  /** The URL with the values of secret-looking query parameters masked, order kept. */
  static String url(HttpUrl url) {
    String query = url.encodedQuery();
    if (query == null) {
      return url.toString();
    }
    StringBuilder sb = new StringBuilder(url.newBuilder().query(null).build().toString());
    char separator = '?';
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      boolean secret = eq >= 0 && SECRET_PARAM.matcher(pair.substring(0, eq)).matches();
      sb.append(separator).append(secret ? pair.substring(0, eq + 1) + MASK : pair);
      separator = '&';
    }
    return sb.toString();
  }

  /** The headers set on the request, and the body's type and length (sent as headers by OkHttp). */
  private static List<String> requestHeaders(Request request) {
    List<String> out = headers(request.headers());
    RequestBody body = request.body();
    if (body != null) {
      if (body.contentType() != null) {
        out.add("Content-Type: " + body.contentType());
      }
      try {
        long length = body.contentLength();
        out.add(length < 0 ? "Transfer-Encoding: chunked" : "Content-Length: " + length);
      } catch (IOException e) {
        out.add("Content-Length: unknown (" + e.getMessage() + ")");
      }
    }
    return out;
  }

  private static List<String> headers(Headers headers) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      String lower = name.toLowerCase(Locale.ROOT);
      boolean secret = lower.equals("authorization") || lower.equals("proxy-authorization")
          || lower.equals("cookie") || lower.equals("set-cookie");
      String value = headers.value(i);
      if (lower.equals("location")) {
        // a redirect to storage may carry a signed URL
        HttpUrl location = HttpUrl.parse(value);
        value = location == null ? value : url(location);
      }
      out.add(name + ": " + (secret ? MASK : value));
    }
    return out;
  }

  private static String body(Response response) {
    MediaType type = response.body().contentType();
    if (type == null || !textual(type) || "HEAD".equals(response.request().method())) {
      return "";
    }
    try {
      ResponseBody peeked = response.peekBody(BODY_LIMIT);
      boolean cut = peeked.contentLength() >= BODY_LIMIT;
      String text = TOKEN_MEMBER.matcher(peeked.string()).replaceAll("$1" + MASK + "\"");
      return cut ? text + "\n… (cut at " + BODY_LIMIT + " bytes)" : text;
    } catch (IOException e) {
      return "(body unreadable: " + e.getMessage() + ")";
    }
  }

  private static boolean textual(MediaType type) {
    String subtype = type.subtype().toLowerCase(Locale.ROOT);
    return type.type().equals("text") || subtype.equals("json") || subtype.endsWith("+json")
        || subtype.equals("xml") || subtype.endsWith("+xml");
  }
}
