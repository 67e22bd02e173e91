package dev.regcheck.lab.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The newest lines of one container's output, as the kubelet keeps them for {@code kubectl logs}. */
public final class LogRing {
  static final int LINES = 50;
  private final Deque<String> lines = new ArrayDeque<>();

  public synchronized void add(String line) {
    lines.addLast(line);
    if (lines.size() > LINES) {
      lines.removeFirst();
    }
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
