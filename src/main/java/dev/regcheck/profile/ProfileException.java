package dev.regcheck.profile;

/**
 * Bad profile input. The message is one line naming the file, the field and what was expected;
 * the command line prints it as it is and exits 2, never with a stack trace.
 */
public final class ProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProfileException(String source, String field, String problem) {
    super(source + ": " + (field == null || field.isEmpty() ? "" : "field '" + field + "': ") + problem);
  }
}
