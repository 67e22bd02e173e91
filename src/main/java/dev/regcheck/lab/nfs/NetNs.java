package dev.regcheck.lab.nfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace of the lab's own, linked to the host by a veth pair on a /30 the lab makes
 * ({@code 169.254.<200+index>.1} on the host, {@code .2} inside), so a server inside binds what it
 * likes (port 111 too) without touching the host's ports, and the harness reaches it at {@link #address()}.
 * Each process started through {@link #exec} is still the child the JVM tracks (ip netns exec and
 * {@code sh}'s exec keep the PID) and sees {@code runDir} as /run, in its own mount namespace: rpcbind's
 * socket and lock stay in the lab's folder, never in the host's /run.
 *
 * <p>{@link #close()} deletes the namespace (and with it the veth pair) once its processes are gone.
 */
public final class NetNs implements AutoCloseable {
  private final String name;
  private final int index;
  private boolean open;

  private NetNs(String name, int index) {
    this.name = name;
    this.index = index;
  }

  /** The highest index: 50 labs at once on one machine. */
  public static final int MAX = 50;

  /**
   * Creates the namespace of the lowest index no other lab holds (another process's lab included:
   * {@code ip netns add} fails on a name that exists, so two labs never share one).
   *
   * @throws IOException when all {@value #MAX} are taken, or the namespace cannot be made (not root, no ip)
   */
  public static NetNs createFree() throws IOException {
    IOException last = null;
    for (int i = 1; i <= MAX; i++) {
      if (Files.exists(Path.of("/run/netns", "regcheck-" + i))) {
        continue;
      }
      try {
        return create(i);
      } catch (IOException e) {
        if (!Files.exists(Path.of("/run/netns", "regcheck-" + i))) {
          throw e; // not taken by another lab meanwhile: the namespace cannot be made here
        }
        last = e;
      }
    }
    throw new IOException("all " + MAX + " network namespaces regcheck-1..regcheck-" + MAX + " are taken"
        + " (ip netns list; a lab stopped by SIGKILL leaves its own: ip netns del regcheck-N)"
        + (last == null ? "" : ": " + last.getMessage()));
  }

  /** The names of the labs' namespaces on this machine now, this one's included. */
  public static List<String> labNamespaces() {
    List<String> out = new ArrayList<>();
    for (String line : Commands.run("ip", "netns", "list").output().split("\n")) {
      String name = line.strip().split("\\s+")[0];
      if (name.startsWith("regcheck-")) {
        out.add(name);
      }
    }
    return out;
  }

  /** Creates namespace {@code regcheck-<index>} with lo up and its veth link; index 1..{@value #MAX}. */
  public static NetNs create(int index) throws IOException {
    if (index < 1 || index > MAX) {
      throw new IllegalArgumentException("network namespace index: expected 1.." + MAX + ", got " + index);
    }
    NetNs ns = new NetNs("regcheck-" + index, index);
    String host = ns.hostLink();
    String inside = "rc" + index + "n";
    try {
      ns.ip("netns", "add", ns.name);
      ns.open = true;
      ns.ip("-n", ns.name, "link", "set", "lo", "up");
      ns.ip("link", "add", host, "type", "veth", "peer", "name", inside);
      ns.ip("link", "set", inside, "netns", ns.name);
      ns.ip("addr", "add", ns.subnet() + ".1/30", "dev", host);
      ns.ip("link", "set", host, "up");
      ns.ip("-n", ns.name, "addr", "add", ns.address() + "/30", "dev", inside);
      ns.ip("-n", ns.name, "link", "set", inside, "up");
      return ns;
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  /** The address a server inside is reached at from the host. */
  public String address() {
    return subnet() + ".2";
  }

  private String subnet() {
    return "169.254." + (200 + index);
  }

  private String hostLink() {
    return "rc" + index + "h";
  }

  /**
   * The command line that runs {@code argv} inside the namespace with {@code runDir} bind-mounted
   * on /run (in the mount namespace ip netns exec makes for it), exec'ing in place.
   */
  public List<String> exec(Path runDir, List<String> argv) throws IOException {
    Files.createDirectories(runDir);
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name, "sh", "-c",
        "mount --bind \"$1\" /run && shift && exec \"$@\"", "sh", runDir.toString()));
    out.addAll(argv);
    return out;
  }

  /** Runs a command inside the namespace (10 s at most), e.g. {@code ss -ltnupH}. */
  public Commands.Result run(String... argv) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(List.of(argv));
    return Commands.run(all.toArray(String[]::new));
  }

  private void ip(String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    Commands.Result r = Commands.run(argv.toArray(String[]::new));
    if (r.exit() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + r.stderr().strip());
    }
  }

  /** Deletes the namespace and its veth pair; its processes must have been stopped. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    Commands.run("ip", "link", "del", hostLink()); // gone with the namespace too; harmless if so
    Commands.Result r = Commands.run("ip", "netns", "del", name);
    if (r.exit() != 0) {
      throw new IOException("ip netns del " + name + " failed: " + r.stderr().strip());
    }
  }
}
