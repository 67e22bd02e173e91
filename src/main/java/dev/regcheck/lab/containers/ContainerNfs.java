package dev.regcheck.lab.containers;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Network.Ipam;
import dev.regcheck.lab.nfs.NfsEndpoint;
import dev.regcheck.lab.nfs.NfsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A lab's NFS server as a container: rpcbind and nfs-ganesha (the {@code nfs} image) on a bridge network of
 * the lab's own, {@code regcheck-lab-<i>} with subnet {@code 10.213.<i>.0/30} (the lowest free i, 1..50: the
 * engine refuses a taken name or subnet, so two labs never share one), the server at {@code .2}, the
 * export folder and its work folder mounted at the same paths, the configuration the host provider gives
 * ganesha in its namespace. Ready when ganesha logs NFS SERVER INITIALIZED (a Testcontainers wait
 * strategy); for nfs-down the network and the address exist and nothing listens (connection refused).
 */
public final class ContainerNfs implements NfsEndpoint {
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Network network;
  private final String address;
  private final ContainerPart part;
  private final GenericContainer<?> container;
  private final Optional<String> unavailable;
  private final String owner;
  private final Path work;
  private boolean serving;

  private ContainerNfs(Network network, String address, ContainerPart part, GenericContainer<?> container,
      Optional<String> unavailable, String owner, Path work) {
    this.network = network;
    this.address = address;
    this.part = part;
    this.container = container;
    this.unavailable = unavailable;
    this.owner = owner;
    this.work = work;
  }

  /**
   * Starts the lab's server exporting {@code exportDir} as {@code exportPath}, or, when {@code run} is false,
   * only its network and address. Never throws for what the engine cannot do: {@link #unavailable()} says it.
   */
  public static ContainerNfs start(ContainerRuntime runtime, Path work, Path exportDir, String exportPath,
      NfsServer.Access access, boolean run) throws IOException {
    Files.createDirectories(work.resolve("recov"));
    Files.createDirectories(work.resolve("run"));
    String owner = Files.getAttribute(work, "unix:uid") + ":" + Files.getAttribute(work, "unix:gid");
    Network network = null;
    String address = null;
    for (int i = 1; i <= 50 && network == null; i++) {
      Network candidate = network(runtime, i);
      try {
        candidate.getId(); // created here: refused when the name or subnet is taken
        network = candidate;
        address = "10.213." + i + ".2";
      } catch (RuntimeException taken) {
        // another lab's: try the next
      }
    }
    if (network == null) {
      return new ContainerNfs(null, null, null, null,
          Optional.of("no free network for the lab's NFS server (regcheck-lab-1..50 are all taken)"), owner, work);
    }
    String image = runtime.images().image(Images.Kind.NFS);
    String ip = address;
    // ganesha's VFS FSAL opens files by handle (open_by_handle_at), which takes CAP_DAC_READ_SEARCH
    GenericContainer<?> container = new GenericContainer<>(image).withNetwork(network)
        .withCreateContainerCmdModifier((CreateContainerCmd cmd) -> cmd.getHostConfig()
            .withCapAdd(Capability.DAC_READ_SEARCH));
    if (run) {
      Path config = work.resolve("ganesha.conf");
      Files.writeString(config, NfsServer.ganeshaConfig(access, true, work.toAbsolutePath(),
          exportDir.toAbsolutePath().toString(), exportPath), StandardCharsets.UTF_8);
      container.withCommand(config.toAbsolutePath().toString(), work.resolve("ganesha.pid").toAbsolutePath().toString())
          .withCreateContainerCmdModifier((CreateContainerCmd cmd) -> cmd.withIpv4Address(ip));
    } else {
      container.withCreateContainerCmdModifier((CreateContainerCmd cmd) -> cmd.withIpv4Address(ip)
          .withEntrypoint("/bin/sleep", "infinity"));
    }
    ContainerPart part;
    try {
      part = runtime.start(container, "lab-nfs", List.of(work.toAbsolutePath(), exportDir.toAbsolutePath()), null,
          ContainerRuntime.appendingTo(work.resolve("ganesha.log")), run ? Wait.forLogMessage(".*NFS SERVER INITIALIZED.*", 1)
              .withStartupTimeout(READY_LIMIT) : ContainerRuntime.noWait());
    } catch (IOException e) {
      network.close();
      return new ContainerNfs(null, null, null, null,
          Optional.of("the lab's NFS server did not start: " + e.getMessage()), owner, work);
    }
    Optional<String> unreachable = run ? reachable(address) : Optional.empty();
    ContainerNfs nfs = new ContainerNfs(network, address, part, container, unreachable, owner, work);
    nfs.serving = run;
    return nfs;
  }

  private static Network network(ContainerRuntime runtime, int i) {
    return Network.builder().createNetworkCmdModifier(cmd -> cmd.withName("regcheck-lab-" + i)
        .withCheckDuplicate(true)
        .withLabels(Map.of(ContainerEngine.LABEL, runtime.labId()))
        .withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet("10.213." + i + ".0/30")
            .withGateway("10.213." + i + ".1")))).build();
  }

  /** Empty when this machine reaches the server's NFS port; else why not (an engine inside a VM). */
  private static Optional<String> reachable(String address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, NfsServer.NFS_PORT), 3000);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("the lab's NFS container at " + address + " is not reachable from this machine ("
          + e.getMessage() + "): an engine inside a VM (Docker Desktop) does not route its containers' addresses");
    }
  }

  @Override
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  @Override
  public Optional<String> namespace() {
    return Optional.empty();
  }

  @Override
  public Optional<String> unavailable() {
    return unavailable;
  }

  @Override
  public List<Long> childPids() {
    return part != null && part.alive() && part.pid() > 0 ? List.of(part.pid()) : List.of();
  }

  @Override
  public void close() throws IOException {
    try {
      if (part != null) {
        if (part.alive() && !owner.startsWith("0:")) {
          // ganesha ran as root: what it wrote goes back to the lab folder's owner
          container.execInContainer("/bin/chown", "-R", owner, work.toAbsolutePath().toString());
        }
        if (serving) {
          part.stop(STOP_GRACE);
        } else {
          part.kill(); // sleep, the address holder, ends only by SIGKILL
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (network != null) {
        network.close();
      }
    }
  }
}
