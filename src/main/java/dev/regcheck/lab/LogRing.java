package dev.regcheck.lab;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The newest lines of one container's output, as the kubelet keeps them for {@code kubectl logs}. */
final class LogRing {
  static final int LINES = 50;
  private final Deque<String> lines = new ArrayDeque<>();

  synchronized void add(String line) {
    lines.addLast(line);
    if (lines.size() > LINES) {
      lines.removeFirst();
    }
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
