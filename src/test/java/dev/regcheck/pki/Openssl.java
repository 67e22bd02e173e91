package dev.regcheck.pki;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.io.File;

/**
 * The openssl CLI, run with a fixed argv in a working directory and an environment of PATH alone
 * (nothing of the test JVM's environment is handed on); stdin is empty. Tests that need it are
 * skipped where /usr/bin/openssl is absent.
 */
final class Openssl {
  static final Path BINARY = Path.of("/usr/bin/openssl");

  record Result(int exit, String output) {
    Result ok() {
      if (exit != 0) {
        throw new AssertionError("openssl exited " + exit + ":\n" + output);
      }
      return this;
    }
  }

  private Openssl() {}

  static void assumePresent() {
    assumeTrue(Files.isExecutable(BINARY), "openssl is not installed at " + BINARY);
  }

  /** Runs {@code openssl args...} in {@code dir}; stdout and stderr together. */
  static Result run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(BINARY.toString());
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** The line after the one that starts (trimmed) with {@code header}, trimmed; the header line itself must exist. */
  static String lineAfter(String text, String header) {
    String[] lines = text.split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].trim().startsWith(header)) {
        return lines[i + 1].trim();
      }
    }
    throw new AssertionError("no '" + header + "' in:\n" + text);
  }

  /** The trimmed line that starts (trimmed) with {@code header}. */
  static String line(String text, String header) {
    for (String l : text.split("\n")) {
      if (l.trim().startsWith(header)) {
        return l.trim();
      }
    }
    throw new AssertionError("no '" + header + "' in:\n" + text);
  }
}
