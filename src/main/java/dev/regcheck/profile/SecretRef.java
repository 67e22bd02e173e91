package dev.regcheck.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a secret comes from: an environment variable or a file, never the profile itself.
 * {@link #toString()} never shows the value, so a profile can be logged.
 */
public record SecretRef(String env, String file) {

  public SecretRef {
    if ((env == null) == (file == null)) {
      throw new IllegalArgumentException("give exactly one of {env: NAME} or {file: PATH}");
    }
  }

  /**
   * The secret's value, or empty when the variable is unset or the file is missing. Whatever the
   * source, surrounding whitespace is removed the same way: the trailing newline that
   * {@code export T="$(cat token-file)"}, an editor or a CI secret store adds is not part of a
   * token or password.
   */
  public Optional<String> resolve(Map<String, String> environment) {
    if (env != null) {
      return Optional.ofNullable(environment.get(env)).map(String::strip).filter(v -> !v.isEmpty());
    }
    try {
      return Optional.of(Files.readString(Path.of(file)).strip()).filter(v -> !v.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return env != null ? "{env: " + env + "}" : "{file: " + file + "}";
  }
}
