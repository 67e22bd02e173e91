package dev.regcheck.lab.apiserver;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Every request the lab's API server answered, with the identity that sent it (never its token).
 * Keeps the newest {@value #CAPACITY} entries; the per-actor counts of mutating requests are exact.
 */
public final class RequestLog {
  static final int CAPACITY = 200_000;
  private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Pattern SECRET_PARAM =
      Pattern.compile("(?i)((?:access_)?token|password|secret)=[^&]*");

  /**
   * One request.
   *
   * @param time when it was answered
   * @param method HTTP method
   * @param path path and query (values of token-like parameters redacted)
   * @param actor the authenticated identity, or {@code system:anonymous}
   * @param status the HTTP status answered
   */
  public record Entry(Instant time, String method, String path, String actor, int status) {
    public boolean mutating() {
      return isMutating(method);
    }
  }

  private final Deque<Entry> entries = new ArrayDeque<>();
  private final Map<String, AtomicLong> mutatingByActor = new ConcurrentHashMap<>();
  private volatile Runnable onWrite = () -> { };
  private static final Pattern CORE_EVENTS = Pattern.compile("/api/v1/(namespaces/[^/?]+/)?events(/|\\?|$)");

  /** Told of every mutating request the server accepted on what the controllers watch, once answered (their wake-up). */
  public void onWrite(Runnable listener) {
    this.onWrite = listener;
  }

  static boolean isMutating(String method) {
    return method != null && MUTATING.contains(method.toUpperCase(Locale.ROOT));
  }

  /**
   * Whether the lab's controllers watch what this path writes: not images and image streams (the
   * registry's, written on every push), events or OAuth tokens, which no controller of the lab reads.
   */
  public static boolean watchedByControllers(String path) {
    return path != null && !path.startsWith("/apis/image.openshift.io/") && !path.startsWith("/apis/oauth.openshift.io/")
        && !path.startsWith("/apis/events.k8s.io/") && !CORE_EVENTS.matcher(path).lookingAt();
  }

  static String redact(String path) {
    return path == null ? "" : SECRET_PARAM.matcher(path).replaceAll("$1=REDACTED");
  }

  void add(String method, String path, String actor, int status) {
    Entry entry = new Entry(Instant.now(), method, redact(path), actor, status);
    if (entry.mutating()) {
      mutatingByActor.computeIfAbsent(actor, a -> new AtomicLong()).incrementAndGet();
      if (status < 400 && watchedByControllers(path)) {
        onWrite.run(); // a refused write changed nothing
      }
    }
    synchronized (entries) {
      entries.addLast(entry);
      if (entries.size() > CAPACITY) {
        entries.removeFirst();
      }
    }
  }

  public List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  public long mutatingRequestsBy(String actor) {
    AtomicLong count = mutatingByActor.get(actor);
    return count == null ? 0 : count.get();
  }
}
