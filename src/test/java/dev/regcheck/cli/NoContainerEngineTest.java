package dev.regcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./regcheck demo --provider containers} where no engine answers: exit 2, one line on stderr naming
 * the socket it tried and how to start one, no stack trace, no Testcontainers diagnostics, nothing started
 * and no lab folder left. Run as a user runs it (the script, a JVM of its own, DOCKER_HOST in its
 * environment: Testcontainers reads it from there only).
 */
class NoContainerEngineTest {

  @Test
  void demoWithoutAnEngineSaysWhichSocketAndHowToStartOne(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("no-engine.sock");
    List<String> labsBefore = labFolders();
    ProcessBuilder builder = new ProcessBuilder("./regcheck", "demo", "--provider", "containers")
        .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    builder.environment().put("DOCKER_HOST", "unix://" + socket);
    builder.environment().put("REGCHECK_PREBUILT", "1"); // this build, not a second Maven under the running one
    builder.environment().put("HOME", dir.toString()); // no ~/.testcontainers.properties of the machine's
    Process demo = builder.start();
    assertThat(demo.waitFor(2, TimeUnit.MINUTES)).as("finished").isTrue();
    String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
    assertThat(demo.exitValue()).as(err).isEqualTo(2);
    assertThat(err.strip().lines()).as(err).hasSize(1);
    assertThat(err.strip()).startsWith("regcheck: no container engine answers at unix://" + socket + ";")
        .contains("bin/container-engine start").contains("Docker Desktop").doesNotContain("Exception");
    assertThat(Files.readString(dir.resolve("out"), StandardCharsets.UTF_8)).as("stdout").isEmpty();
    assertThat(labFolders()).as("lab folders").isEqualTo(labsBefore);
  }

  private static List<String> labFolders() throws Exception {
    Path state = Path.of(".regcheck");
    if (!Files.isDirectory(state)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(state)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("demo-")).sorted().toList();
    }
  }
}
