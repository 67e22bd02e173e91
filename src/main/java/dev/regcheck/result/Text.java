package dev.regcheck.result;

/** Small text helpers shared by messages and the command line. */
public final class Text {
  private Text() {}

  /** The first line of a possibly multi-line message ("" for null). */
  public static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
