package dev.regcheck.lab.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes timestamps (RFC 3339, whole seconds, UTC). */
public final class Times {
  private Times() {}

  public static String now() {
    return format(Instant.now());
  }

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public static Instant parse(String timestamp) {
    try {
      return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
