package dev.regcheck.registry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal POSIX ustar writer for the test image's layer: directories and regular files, owned by
 * root (uid/gid 0), mtime 0, so the same entries always give the same bytes.
 */
final class Ustar {
  static final int BLOCK = 512;

  /** A directory when {@code content} is null (its name should end with '/'). */
  record Entry(String name, int mode, byte[] content) {}

  private Ustar() {}

  static byte[] archive(List<Entry> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Entry e : entries) {
      byte[] content = e.content() == null ? new byte[0] : e.content();
      out.writeBytes(header(e.name(), e.mode(), content.length, e.content() == null ? '5' : '0'));
      out.writeBytes(content);
      out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
    }
    out.writeBytes(new byte[2 * BLOCK]); // end of archive: two zero blocks
    return out.toByteArray();
  }

  private static byte[] header(String name, int mode, long size, char type) {
    byte[] h = new byte[BLOCK];
    text(h, 0, 100, name);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0); // uid
    octal(h, 116, 8, 0); // gid
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0); // mtime
    h[156] = (byte) type;
    text(h, 257, 6, "ustar"); // magic "ustar\0"
    text(h, 263, 2, "00"); // version
    text(h, 265, 32, "root"); // uname
    text(h, 297, 32, "root"); // gname
    octal(h, 329, 8, 0); // devmajor
    octal(h, 337, 8, 0); // devminor
    // the checksum is computed with its own field as eight spaces, then written as 6 digits, NUL, space
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  private static void text(byte[] h, int offset, int length, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length > length) {
      throw new IllegalArgumentException("ustar field of " + length + " bytes cannot hold " + value);
    }
    System.arraycopy(bytes, 0, h, offset, bytes.length);
  }

  /** Zero-padded octal in length-1 digits and a terminating NUL. */
  private static void octal(byte[] h, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException(value + " does not fit a " + length + "-byte ustar field");
    }
    text(h, offset, length - 1, "0".repeat(length - 1 - digits.length()) + digits);
    h[offset + length - 1] = 0;
  }
}
