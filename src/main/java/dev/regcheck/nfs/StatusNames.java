package dev.regcheck.nfs;

import java.util.Arrays;
import java.util.Optional;

/** RFC 1813 status codes by name and in words, shared by the MOUNT and NFS status enums. */
final class StatusNames {
  private StatusNames() {}

  /** A status of the protocol: its number and what it means. */
  interface Coded {
    int code();

    String words();
  }

  static <E extends Enum<E> & Coded> Optional<E> of(Class<E> type, int code) {
    return Arrays.stream(type.getEnumConstants()).filter(s -> s.code() == code).findFirst();
  }

  /** The constant's name; {@code <prefix><code>} for a code RFC 1813 does not define. */
  static <E extends Enum<E> & Coded> String name(Class<E> type, String prefix, int code) {
    return of(type, code).map(Enum::name).orElse(prefix + code);
  }

  /** {@code NFS3ERR_ROFS, read-only file system}. */
  static <E extends Enum<E> & Coded> String describe(Class<E> type, String prefix, int code, String undefined) {
    return name(type, prefix, code) + ", " + of(type, code).map(Coded::words).orElse(undefined);
  }
}
