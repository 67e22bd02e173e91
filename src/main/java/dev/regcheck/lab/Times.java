package dev.regcheck.lab;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes timestamps (RFC 3339, whole seconds, UTC). */
final class Times {
  private Times() {}

  static String now() {
    return format(Instant.now());
  }

  static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant parse(String timestamp) {
    try {
      return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
