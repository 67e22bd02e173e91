package dev.regcheck.lab.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The lab's real parts as this JVM's child processes: the Debian packages installed on this machine. */
public final class HostRuntime implements PartRuntime {
  public static final HostRuntime INSTANCE = new HostRuntime();

  private HostRuntime() {}

  @Override
  public String name() {
    return "host";
  }

  @Override
  public Optional<String> unavailableReason(Program program) {
    return program.onThisMachine().isPresent() ? Optional.empty()
        : Optional.of(program.command() + " is not installed (" + program.packagedPath() + "; apt-get install "
            + program.debianPackage() + ")");
  }

  @Override
  public Part start(Launch launch) throws IOException {
    ProcessBuilder builder = builder(launch);
    if (launch.lines() == null) {
      builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(launch.log().toFile()));
    }
    return ChildProcess.start(launch.name(), builder, launch.lines());
  }

  @Override
  public Outcome run(Launch launch, Duration limit) throws IOException, InterruptedException {
    // output to a file, so the time limit holds even when the program hangs without writing
    Path out = launch.log();
    Files.deleteIfExists(out);
    ChildProcess process = ChildProcess.start(launch.name(), builder(launch).redirectErrorStream(true)
        .redirectOutput(out.toFile()), null);
    try {
      if (!process.awaitExit(limit)) {
        process.stop(Duration.ofSeconds(1));
        return new Outcome(-1, read(out), true);
      }
    } catch (InterruptedException e) {
      process.kill();
      throw e;
    }
    return new Outcome(process.exitCode().orElse(-1), read(out), false);
  }

  private static String read(Path out) throws IOException {
    String output = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    Files.deleteIfExists(out);
    return output;
  }

  private static ProcessBuilder builder(Launch launch) throws IOException {
    Path binary = launch.program().onThisMachine().orElseThrow(() -> new IOException(
        launch.program().command() + " is not installed (apt-get install " + launch.program().debianPackage() + ")"));
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(launch.args());
    ProcessBuilder builder = new ProcessBuilder(command).directory(launch.dir().toFile());
    Map<String, String> env = builder.environment();
    // docker-registry reads REGISTRY_* overrides from its environment: only the config file counts
    env.keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    env.remove("OTEL_TRACES_EXPORTER");
    return builder;
  }

  @Override
  public void close() {
    // its children are stopped by the parts that started them
  }
}
