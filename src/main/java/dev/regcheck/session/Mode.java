package dev.regcheck.session;

import java.util.Locale;

/** checks.md modes. */
public enum Mode {
  /** No write of any kind. */
  AUDIT,
  /** No API write except what the registry round trip itself causes. */
  VERIFY,
  /** Each step's fixture performs the documented step idempotently before checking. */
  APPLY;

  public static Mode of(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--mode: expected audit, verify or apply, got '" + text + "'");
    }
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
