package dev.regcheck.lab.nfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A lab's NFS server as the lab runs it: rpcbind and ganesha in a network namespace of the lab's
 * own ({@link NetNs#createFree()}), so labs run side by side and beside a host that serves NFS
 * itself, each reached at its own {@link #address()}. For nfs-down the namespace is made and nothing
 * runs in it: its address refuses connections, as a host with nfs-server never enabled does.
 * {@link #close()} stops the daemons, then deletes the namespace.
 */
public final class LabNfs implements NfsEndpoint {
  private final NetNs ns;
  private final NfsServer server;
  private final Optional<String> unavailable;

  private LabNfs(NetNs ns, NfsServer server, Optional<String> unavailable) {
    this.ns = ns;
    this.server = server;
    this.unavailable = unavailable;
  }

  /** Why a lab's NFS server cannot run on this machine, if it cannot: root, the daemons, the tools. */
  public static Optional<String> unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("the lab's NFS server needs root (its network namespace, and ganesha serves files only as root)");
    }
    for (String daemon : List.of("/usr/sbin/rpcbind", "/usr/bin/ganesha.nfsd")) {
      if (!Files.isExecutable(Path.of(daemon))) {
        return Optional.of(Path.of(daemon).getFileName() + " is not installed (" + daemon + "; bin/lab-packages installs it)");
      }
    }
    for (String tool : List.of("ip", "rpcinfo", "mount")) {
      if (Commands.onPath(tool).isEmpty()) {
        return Optional.of(tool + " is not installed (bin/lab-packages installs it)");
      }
    }
    return Optional.empty();
  }

  /**
   * Starts the lab's server exporting {@code exportDir} as {@code exportPath}, or, when {@code run} is
   * false, only its namespace. Never throws for what the machine lacks: {@link #unavailable()} says it.
   */
  public static LabNfs start(Path work, Path exportDir, String exportPath, NfsServer.Access access, boolean run)
      throws InterruptedException {
    Optional<String> why = unavailableReason();
    if (why.isPresent()) {
      return new LabNfs(null, null, why);
    }
    NetNs ns;
    try {
      ns = NetNs.createFree();
    } catch (IOException e) {
      return new LabNfs(null, null, Optional.of("the lab's network namespace could not be made: " + e.getMessage()));
    }
    if (!run) {
      return new LabNfs(ns, null, Optional.empty());
    }
    try {
      return new LabNfs(ns, NfsServer.startIsolated(work, exportDir, exportPath, access, ns), Optional.empty());
    } catch (NfsServer.Unavailable | IOException | RuntimeException e) {
      closeQuietly(ns);
      return new LabNfs(null, null, Optional.of(e instanceof NfsServer.Unavailable ? e.getMessage()
          : "the lab's NFS server did not start: " + e.getMessage()));
    } catch (InterruptedException e) {
      closeQuietly(ns);
      throw e;
    }
  }

  /** Where the lab's NFS server is reached (its namespace's address); empty when the lab has no namespace. */
  public Optional<String> address() {
    return ns == null ? Optional.empty() : Optional.of(ns.address());
  }

  /** The namespace's name, e.g. {@code regcheck-3}; empty when the lab has none. */
  public Optional<String> namespace() {
    return ns == null ? Optional.empty() : Optional.of(ns.name());
  }

  /** Why the lab runs no NFS server where it could not run one; empty when it runs one, or for nfs-down. */
  public Optional<String> unavailable() {
    return unavailable;
  }

  @Override
  public List<Long> childPids() {
    return server == null ? List.of() : server.childPids();
  }

  @Override
  public void close() throws IOException {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  private static void closeQuietly(NetNs ns) {
    try {
      ns.close();
    } catch (IOException e) {
      // the start's own failure is what the lab reports
    }
  }
}
