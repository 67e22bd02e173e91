package dev.regcheck.run;

import java.util.Locale;

/** Which results fail a run ({@code --gate}). */
public enum Gate {
  /** A mandatory check that FAILs or is BLOCKED. */
  MANDATORY,
  /** Also any WARN: an optional check that failed, a risky pass (known issues excepted). */
  ALL;

  public static Gate of(String text) {
    for (Gate g : values()) {
      if (g.name().equalsIgnoreCase(text)) {
        return g;
      }
    }
    throw new IllegalArgumentException("--gate: expected mandatory or all, got '" + text + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
