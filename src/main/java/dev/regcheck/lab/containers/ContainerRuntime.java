package dev.regcheck.lab.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.regcheck.lab.process.Launch;
import dev.regcheck.lab.process.Part;
import dev.regcheck.lab.process.PartRuntime;
import dev.regcheck.lab.process.Program;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;

/**
 * The lab's real parts as containers of the engine Testcontainers finds: the registry's and HAProxy's
 * images ({@link Images}), run with the host's network (they listen on 127.0.0.1 ports as the host
 * provider's processes do, and reach the lab's servers in this JVM on 127.0.0.1), the folders of the
 * {@link Launch} mounted at the same paths, as the lab folder's owner. Every container carries the lab's
 * label; {@link #close()} removes every one this lab made, stopped or not.
 */
public final class ContainerRuntime implements PartRuntime {
  private static final StartupCheckStrategy STARTED = new StartupCheckStrategy() {
    @Override
    public StartupStatus checkStartupState(DockerClient client, String containerId) {
      return StartupStatus.SUCCESSFUL; // an exit at once is the kubelet's to see (CrashLoopBackOff), not a failed start
    }
  };

  private final DockerClient docker;
  private final Images images;
  private final String labId;
  private final String user;
  private final List<ContainerPart> parts = new ArrayList<>();
  private final Map<Images.Kind, ContainerPart> helpers = new EnumMap<>(Images.Kind.class);
  private final Path labDir;

  private ContainerRuntime(DockerClient docker, Path labDir, String user) {
    this.docker = docker;
    this.images = new Images(docker);
    this.labDir = labDir;
    this.labId = labDir.toString();
    this.user = user;
  }

  /**
   * A runtime for the lab in {@code labDir} (its containers run as that folder's owner); empty with the
   * reason when no engine answers.
   */
  public static ContainerRuntime open(Path labDir) throws IOException {
    Optional<String> why = ContainerEngine.unavailableReason();
    if (why.isPresent()) {
      throw new IOException(why.get());
    }
    Object uid = Files.getAttribute(labDir, "unix:uid");
    Object gid = Files.getAttribute(labDir, "unix:gid");
    return new ContainerRuntime(ContainerEngine.client(), labDir.toAbsolutePath(), uid + ":" + gid);
  }

  /** Builds the images this lab needs, before any part starts (the first build takes seconds). */
  public void prepare() throws IOException {
    for (Images.Kind kind : Images.Kind.values()) {
      images.image(kind);
    }
  }

  DockerClient docker() {
    return docker;
  }

  Images images() {
    return images;
  }

  String labId() {
    return labId;
  }

  @Override
  public String name() {
    return "containers";
  }

  @Override
  public Optional<String> unavailableReason(Program program) {
    return Optional.empty(); // every program is in the lab's images
  }

  @Override
  public Part start(Launch launch) throws IOException {
    GenericContainer<?> container = new GenericContainer<>(images.image(kind(launch.program())))
        .withNetworkMode("host")
        .withWorkingDirectory(launch.dir().toString())
        .withCommand(launch.args().toArray(String[]::new));
    if (launch.program() == Program.HAPROXY) {
      // the engine's PID namespace: a new haproxy's -sf reaches the one it takes over from, in another container
      container.withCreateContainerCmdModifier((CreateContainerCmd cmd) -> cmd.getHostConfig().withPidMode("host"));
    }
    return start(container, launch.name(), launch.shared(), user, lines(launch), noWait());
  }

  /** Starts {@code container} labelled as this lab's, with {@code shared} mounted at the same paths. */
  synchronized ContainerPart start(GenericContainer<?> container, String name, List<Path> shared, String runAs,
      Consumer<String> lines, WaitStrategy ready) throws IOException {
    CountDownLatch outputRead = new CountDownLatch(1);
    container.withLabels(Map.of(ContainerEngine.LABEL, labId, ContainerEngine.LABEL + ".part", name))
        .withStartupCheckStrategy(STARTED)
        .waitingFor(ready)
        .withLogConsumer((OutputFrame frame) -> {
          if (frame.getType() == OutputFrame.OutputType.END) {
            if (lines instanceof LogFile file) {
              file.close();
            }
            outputRead.countDown();
          } else {
            lines.accept(frame.getUtf8StringWithoutLineEnding());
          }
        })
        .withCreateContainerCmdModifier((CreateContainerCmd cmd) -> {
          HostConfig host = cmd.getHostConfig() == null ? HostConfig.newHostConfig() : cmd.getHostConfig();
          List<Bind> binds = new ArrayList<>(host.getBinds() == null ? List.of() : List.of(host.getBinds()));
          for (Path path : shared) {
            binds.add(new Bind(path.toString(), new Volume(path.toString())));
          }
          cmd.withHostConfig(host.withBinds(binds));
          if (runAs != null) {
            cmd.withUser(runAs);
          }
        });
    try {
      container.start();
    } catch (RuntimeException e) {
      container.stop();
      throw new IOException("the " + name + " container did not start: " + rootMessage(e), e);
    }
    ContainerPart part = new ContainerPart(docker, container, outputRead);
    parts.add(part);
    return part;
  }

  /**
   * Runs the program to its end by {@code exec} in a container of its image kept for that, with the lab's
   * folder mounted (about 0.2 s, where a container of its own takes 1 s): what it reads must be there.
   */
  @Override
  public Outcome run(Launch launch, Duration limit) throws IOException, InterruptedException {
    for (Path path : launch.shared()) {
      if (!path.toAbsolutePath().startsWith(labDir)) {
        throw new IOException(launch.name() + " reads " + path + ", outside the lab's folder " + labDir);
      }
    }
    ContainerPart helper = helper(kind(launch.program()));
    List<String> command = new ArrayList<>();
    command.add(launch.program().packagedPath().toString());
    command.addAll(launch.args());
    StringBuilder output = new StringBuilder();
    String exec = docker.execCreateCmd(helper.id()).withCmd(command.toArray(String[]::new))
        .withWorkingDir(launch.dir().toString()).withUser(user).withAttachStdout(true).withAttachStderr(true)
        .exec().getId();
    ResultCallback.Adapter<Frame> callback = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        synchronized (output) {
          output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        }
      }
    });
    try {
      if (!callback.awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        return new Outcome(-1, output(output), true);
      }
    } finally {
      callback.close();
    }
    Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
    return new Outcome(code == null ? -1 : code.intValue(), output(output), false);
  }

  /** The container {@link #run} execs programs of {@code kind} in: its image, idle, the lab's folder mounted. */
  private synchronized ContainerPart helper(Images.Kind kind) throws IOException {
    ContainerPart helper = helpers.get(kind);
    if (helper == null || !helper.alive()) {
      GenericContainer<?> container = new GenericContainer<>(images.image(kind)).withNetworkMode("host")
          .withCreateContainerCmdModifier((CreateContainerCmd cmd) -> cmd.withEntrypoint("/bin/sleep", "infinity"));
      helper = start(container, "lab-" + kind.folder + "-tools", List.of(labDir), user, line -> { }, noWait());
      helpers.put(kind, helper);
    }
    return helper;
  }

  private static String output(StringBuilder output) {
    synchronized (output) {
      return output.toString();
    }
  }

  /** Stops every part still running (at once, side by side), then removes every container labelled as this lab's. */
  @Override
  public synchronized void close() {
    helpers.values().forEach(ContainerPart::kill);
    helpers.clear();
    parts.parallelStream().forEach(part -> part.stop(Duration.ofSeconds(2)));
    parts.clear();
    try {
      for (Container left : docker.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(ContainerEngine.LABEL, labId)).exec()) {
        docker.removeContainerCmd(left.getId()).withForce(true).withRemoveVolumes(true).exec();
      }
    } catch (RuntimeException e) {
      // the engine went away: nothing of the lab can run there any more
    }
  }

  static Images.Kind kind(Program program) {
    return switch (program) {
      case REGISTRY -> Images.Kind.REGISTRY;
      case HAPROXY -> Images.Kind.HAPROXY;
    };
  }

  static WaitStrategy noWait() {
    return new AbstractWaitStrategy() {
      @Override
      protected void waitUntilReady() {
        // readiness is the caller's: the kubelet's probe, the router's listening port
      }
    };
  }

  /** The launch's output sink: its lines, or its log file appended line by line. */
  private static Consumer<String> lines(Launch launch) throws IOException {
    return launch.lines() != null ? launch.lines() : appendingTo(launch.log());
  }

  /** Writes each line to {@code file} (appended, flushed line by line: read while the part runs). */
  static Consumer<String> appendingTo(Path file) throws IOException {
    return new LogFile(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND));
  }

  /** A part's log file: lines appended and flushed one by one; closed when the container's output ends. */
  private record LogFile(BufferedWriter writer) implements Consumer<String> {
    @Override
    public synchronized void accept(String line) {
      try {
        writer.write(line);
        writer.write('\n');
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    synchronized void close() {
      try {
        writer.close();
      } catch (IOException e) {
        // the lab's folder is going: nothing more to write
      }
    }
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return String.valueOf(cause.getMessage()).strip();
  }
}
