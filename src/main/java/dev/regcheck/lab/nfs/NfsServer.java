package dev.regcheck.lab.nfs;

import dev.regcheck.lab.process.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.nio.file.StandardCopyOption;
import dev.regcheck.lab.process.ChildProcesses;

/**
 * A real NFS server on loopback (lab-components.md): rpcbind, socket-activated on 127.0.0.1:111
 * and [::1]:111 by a python launcher, and nfs-ganesha bound to {@code ::ffff:127.0.0.1} (NFS on
 * 2049, MOUNT on 20048, v3 and v4 over TCP), exporting a directory read-write or read-only; or both
 * inside a network namespace of the lab's own ({@link #startIsolated}, beside whatever the host runs:
 * what the embedded lab uses, through {@link LabNfs}).
 * <p>The export's path as clients see it may differ from the directory's. In a namespace, ganesha
 * exports the directory with that path as its pseudo path and {@code Mount_Path_Pseudo}, so an NFSv3
 * MNT of {@code /nfs} reaches {@code <lab>/nfs} with nothing made on the host. On loopback, ganesha
 * runs in a private mount namespace ({@code unshare -m}) where the directory is bind-mounted on that
 * path; if it does not exist on the host, an empty mount point is created and removed at {@link #close()}.
 *
 * <p>Both daemons are children of this JVM, stopped by PID (SIGTERM, SIGKILL after 5 s) and reaped;
 * {@code ss} must show 111, 2049 and 20048 bound on loopback only; ganesha writes only to the work
 * directory; rpcbind's files in /run go at {@link #close()}. Where it cannot run (not root, a program
 * missing, a port in use, another rpcbind's lock), {@link #start} throws {@link Unavailable} in one line.
 */
public final class NfsServer implements AutoCloseable, ChildProcesses {
  /** Export use: read-write, read-only, or read-write from privileged ports only (PrivilegedPort, the kernel's secure). */
  public enum Access { RW, RO, RW_SECURE }

  /** Why the server cannot run here, in one line. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;
    Unavailable(String reason) {
      super(reason);
    }
  }

  public static final String HOST = "127.0.0.1";
  public static final int NFS_PORT = 2049;
  public static final int MOUNT_PORT = 20048;
  public static final int PORTMAPPER_PORT = 111;
  public static final List<Integer> PORTS = List.of(PORTMAPPER_PORT, NFS_PORT, MOUNT_PORT);
  private static final Path RPCBIND = Path.of("/usr/sbin/rpcbind");
  private static final Path GANESHA = Path.of("/usr/bin/ganesha.nfsd");
  private static final Path RPCBIND_SOCK = Path.of("/run/rpcbind.sock");
  private static final Path RPCBIND_LOCK = Path.of("/run/rpcbind.lock");
  private static final Path RPCBIND_STATE = Path.of("/run/rpcbind");
  private static final Duration RPCBIND_READY = Duration.ofSeconds(10);
  /** ganesha's first start on a new machine takes about 7 s; later ones 0.1 s. */
  private static final Duration GANESHA_READY = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Pattern LOOPBACK = Pattern.compile("(127\\.0\\.0\\.1|\\[::1]|\\[::ffff:127\\.0\\.0\\.1]):\\d+");

  private final Path work;
  /** Where the server is reached: 127.0.0.1, or the address of its own network namespace. */
  private final String host;
  /** The network namespace it runs in, or null on the host's loopback. */
  private final NetNs ns;
  private final Path exportDir;
  private final String exportPath;
  private final Set<Path> stateFilesBefore;
  private ChildProcess rpcbind;
  private boolean rpcbindOwnsRunFiles;
  private ChildProcess ganesha;
  /** The mount point this server created on the host, removed at close when still empty. */
  private Path createdMountPoint;

  private NfsServer(Path work, NetNs ns, Path exportDir, String exportPath, Set<Path> stateFilesBefore) {
    this.work = work;
    this.ns = ns;
    this.host = ns == null ? HOST : ns.address();
    this.exportDir = exportDir;
    this.exportPath = exportPath;
    this.stateFilesBefore = stateFilesBefore;
  }

  /** Why the server cannot run on this machine now, if it cannot: root, daemons, tools, free ports. */
  public static Optional<String> unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("the lab's NFS server needs root (ganesha serves files only as root, rpcbind binds port 111)");
    }
    if (!Files.isExecutable(RPCBIND)) {
      return Optional.of("rpcbind is not installed (" + RPCBIND + "; apt-get install rpcbind)");
    }
    if (!Files.isExecutable(GANESHA)) {
      return Optional.of("ganesha.nfsd is not installed (" + GANESHA + "; apt-get install nfs-ganesha nfs-ganesha-vfs)");
    }
    for (String tool : List.of("python3", "ss", "rpcinfo", "unshare", "mount")) {
      if (Commands.onPath(tool).isEmpty()) {
        return Optional.of(tool + " is not installed");
      }
    }
    for (int port : PORTS) {
      List<String> holders;
      try {
        holders = listeners(port);
      } catch (IllegalStateException e) {
        return Optional.of(e.getMessage());
      }
      if (!holders.isEmpty()) {
        return Optional.of("port " + port + " is already in use: " + String.join("; ", holders));
      }
    }
    return Optional.empty();
  }

  /**
   * Starts rpcbind and ganesha exporting {@code exportDir} as {@code exportPath} (the same path:
   * no mount namespace), with work files in {@code work}.
   *
   * @throws Unavailable where the server cannot run here, with the reason
   * @throws IOException when it could run but did not start (its log's tail in the message)
   */
  public static NfsServer start(Path work, Path exportDir, String exportPath, Access access)
      throws Unavailable, IOException, InterruptedException {
    Optional<String> reason = unavailableReason();
    if (reason.isPresent()) {
      throw new Unavailable(reason.get());
    }
    Files.createDirectories(work);
    Files.createDirectories(exportDir);
    NfsServer server = new NfsServer(work.toAbsolutePath(), null, exportDir.toAbsolutePath(), exportPath,
        rpcbindStateFiles());
    try {
      server.startRpcbind();
      server.startGanesha(access);
      server.verifyLoopbackOnly();
      return server;
    } catch (Unavailable | IOException | InterruptedException | RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /**
   * Starts rpcbind and ganesha inside network namespace {@code ns} (lab-components.md): any ports,
   * beside anything the host runs on 111, 2049 or 20048; /run is {@code <work>/netns-run} for both, so
   * rpcbind's socket and lock never reach the host's /run. Reached at {@link #host()}. The namespace
   * stays the caller's to close, after this server.
   */
  public static NfsServer startIsolated(Path work, Path exportDir, String exportPath, Access access, NetNs ns)
      throws Unavailable, IOException, InterruptedException {
    Optional<String> reason = LabNfs.unavailableReason();
    if (reason.isPresent()) {
      throw new Unavailable(reason.get());
    }
    Files.createDirectories(work);
    Files.createDirectories(exportDir);
    NfsServer server = new NfsServer(work.toAbsolutePath(), ns, exportDir.toAbsolutePath(), exportPath, Set.of());
    try {
      server.startRpcbind();
      server.startGanesha(access);
      return server;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** Where clients reach the server: 127.0.0.1, or its network namespace's address. */
  public String host() {
    return host;
  }

  /** The exported directory on this machine. */
  public Path exportDir() {
    return exportDir;
  }

  @Override
  public synchronized List<Long> childPids() {
    List<Long> pids = new ArrayList<>();
    for (ChildProcess p : new ChildProcess[] {rpcbind, ganesha}) {
      if (p != null && p.alive()) {
        pids.add(p.pid());
      }
    }
    return pids;
  }

  /** The path clients mount (NFSv3 MNT) and the export list shows. */
  public String exportPath() {
    return exportPath;
  }

  private boolean bound() {
    return !exportPath.equals(exportDir.toString());
  }

  private void startRpcbind() throws IOException, InterruptedException, Unavailable {
    ProcessBuilder builder;
    if (ns != null) {
      // its own namespace: rpcbind binds what it likes there, its files land in the lab's /run
      builder = new ProcessBuilder(ns.exec(work.resolve("netns-run"), List.of(RPCBIND.toString(), "-f")));
    } else {
      Path launcher = work.resolve("rpcbind-launch.py");
      try (InputStream in = NfsServer.class.getResourceAsStream("rpcbind-launch.py")) {
        if (in == null) {
          throw new IllegalStateException("resource dev/regcheck/lab/nfs/rpcbind-launch.py is missing");
        }
        Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
      }
      Path python = Files.isExecutable(Path.of("/usr/bin/python3")) ? Path.of("/usr/bin/python3")
          : Commands.onPath("python3").get();
      builder = new ProcessBuilder(python.toString(), launcher.toString(), RPCBIND.toString());
    }
    rpcbind = ChildProcess.start("lab-rpcbind", builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(work.resolve("rpcbind.log").toFile()), null);
    awaitReady("rpcbind", rpcbind, RPCBIND_READY, work.resolve("rpcbind.log"),
        () -> Commands.run("rpcinfo", "-p", host).exit() == 0);
    // on the host it holds /run/rpcbind.lock and has bound /run/rpcbind.sock: both are its own now
    rpcbindOwnsRunFiles = ns == null;
  }

  private void startGanesha(Access access) throws IOException, InterruptedException, Unavailable {
    Files.createDirectories(work.resolve("recov"));
    Files.createDirectories(work.resolve("run"));
    Path config = work.resolve("ganesha.conf");
    Files.writeString(config, config(access));
    List<String> ganeshaArgs = List.of(GANESHA.toString(), "-F", "-f", config.toString(),
        "-L", work.resolve("ganesha.log").toString(), "-p", work.resolve("ganesha.pid").toString(), "-N", "NIV_EVENT");
    List<String> argv = new ArrayList<>();
    if (ns != null) {
      // the export is the lab's folder, mounted by its pseudo path (Mount_Path_Pseudo): no mount point
      // on the host, which labs side by side would share
      argv.addAll(ns.exec(work.resolve("netns-run"), ganeshaArgs));
    } else if (bound()) {
      Path mountPoint = Path.of(exportPath);
      if (!Files.exists(mountPoint)) {
        Files.createDirectories(mountPoint);
        createdMountPoint = mountPoint;
      }
      // unshare and sh exec in place: the PID started is ganesha's; the bind mount lives and dies
      // with its private mount namespace
      argv.addAll(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
          "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh", exportDir.toString(), exportPath));
    }
    if (ns == null) {
      argv.addAll(ganeshaArgs);
    }
    ProcessBuilder builder = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(work.resolve("ganesha.out").toFile());
    // otherwise ganesha rewrites /run/blkid/blkid.tab
    builder.environment().put("BLKID_FILE", work.resolve("blkid.tab").toString());
    ganesha = ChildProcess.start("lab-ganesha", builder, null);
    Path log = work.resolve("ganesha.log");
    awaitReady("ganesha", ganesha, GANESHA_READY, Files.exists(log) ? log : work.resolve("ganesha.out"),
        () -> Commands.run("rpcinfo", "-p", host).output().matches("(?s).*\\b100005\\s+3\\s+tcp\\s+" + MOUNT_PORT + "\\b.*")
            && Commands.run("rpcinfo", "-t", host, "nfs", "3").exit() == 0);
  }

  private String config(Access access) {
    return ganeshaConfig(access, ns != null, work, ns == null ? exportPath : exportDir.toString(), exportPath);
  }

  /**
   * The configuration of the lab components' notes: no NLM, RQUOTA, UDP or Kerberos; on the host
   * loopback only. {@code isolated}: in a network of its own (a namespace or a container), bound to all
   * of it, the export mounted by its pseudo path ({@code Mount_Path_Pseudo}) with no mount point.
   */
  public static String ganeshaConfig(Access access, boolean isolated, Path work, String path, String exportPath) {
    String type = access == Access.RO ? "RO" : "RW";
    return """
        NFS_CORE_PARAM {
            %s
            Mount_Path_Pseudo = %s;
            NFS_Port = %d;
            MNT_Port = %d;
            Protocols = 3, 4;
            Enable_NLM = false;
            Enable_RQUOTA = false;
            Enable_UDP = false;
        }
        NFSv4 {
            Graceless = true;
            RecoveryRoot = %s;
        }
        NFS_KRB5 {
            Active_krb5 = false;
            CCacheDir = %s;
        }
        EXPORT {
            Export_Id = 1;
            Path = %s;
            Pseudo = %s;
            Access_Type = %s;
            Squash = No_Root_Squash;
            PrivilegedPort = %s;
            Protocols = 3, 4;
            Transports = TCP;
            SecType = sys;
            CLIENT { Clients = *; Access_Type = %s; }
            FSAL { Name = VFS; }
        }
        """.formatted(
        // in its own network ganesha binds every address there (Bind_addr aborts in an lo-only namespace)
        isolated ? "# all of the lab's own network" : "Bind_addr = ::ffff:127.0.0.1;", isolated, NFS_PORT, MOUNT_PORT,
        work.resolve("recov"), work.resolve("run"), path, exportPath, type, access == Access.RW_SECURE, type);
  }

  /** Polls {@code ready} until it holds; fails with the process's log when it exits or the time is up. */
  private static void awaitReady(String name, ChildProcess process, Duration limit, Path log, BooleanSupplier ready)
      throws IOException, InterruptedException, Unavailable {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.alive()) {
        String output = Files.exists(log) ? Files.readString(log) : "";
        if (output.contains("another rpcbind is already running")) {
          throw new Unavailable(
              "another rpcbind is already running (it holds /run/rpcbind.lock, perhaps in another network namespace)");
        }
        throw new IOException(name + " exited with status " + process.exitCode().orElse(-1) + ": " + tail(output));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(name + " not ready after " + limit.toSeconds() + " s: "
            + tail(Files.exists(log) ? Files.readString(log) : ""));
      }
      Thread.sleep(20);
    }
  }

  private void verifyLoopbackOnly() throws IOException {
    for (int port : PORTS) {
      List<String> lines = listeners(port);
      if (lines.stream().noneMatch(l -> l.startsWith("tcp"))) {
        throw new IOException("nothing listens on tcp port " + port + ": " + lines);
      }
      for (String line : lines) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 5 || !LOOPBACK.matcher(fields[4]).matches()) {
          throw new IOException("port " + port + " is not bound on loopback only: " + line);
        }
      }
    }
  }

  /** The {@code ss -ltnupH} lines of sockets listening on {@code port} (tcp LISTEN, udp UNCONN). */
  public static List<String> listeners(int port) {
    Commands.Result ss = Commands.run("ss", "-ltnupH");
    if (ss.exit() != 0) {
      throw new IllegalStateException("ss -ltnupH failed: " + ss.output());
    }
    Pattern local = Pattern.compile(":" + port + "$");
    List<String> lines = new ArrayList<>();
    for (String line : ss.output().split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 5 && local.matcher(fields[4]).find()) {
        lines.add(line.trim());
      }
    }
    return lines;
  }

  /**
   * Stops ganesha, then rpcbind (each SIGTERM, SIGKILL after 5 s, reaped), removes rpcbind's files
   * in /run and the mount point this server created (if still empty). Idempotent.
   */
  @Override
  public synchronized void close() throws IOException {
    stop(ganesha);
    ganesha = null;
    stop(rpcbind);
    rpcbind = null;
    if (rpcbindOwnsRunFiles) {
      Files.deleteIfExists(RPCBIND_SOCK);
      Files.deleteIfExists(RPCBIND_LOCK);
      rpcbindOwnsRunFiles = false;
    }
    for (Path state : rpcbindStateFiles()) {
      if (!stateFilesBefore.contains(state)) {
        Files.deleteIfExists(state);
      }
    }
    if (createdMountPoint != null) {
      try {
        Files.deleteIfExists(createdMountPoint);
      } catch (DirectoryNotEmptyException e) {
        // someone put files there: never delete what the lab did not create
      }
      createdMountPoint = null;
    }
  }

  private static void stop(ChildProcess process) {
    if (process != null) {
      process.stop(STOP_GRACE);
    }
  }

  /** The warm-start files rpcbind may write to /run/rpcbind/ when it stops. */
  private static Set<Path> rpcbindStateFiles() throws IOException {
    if (!Files.isDirectory(RPCBIND_STATE)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(RPCBIND_STATE)) {
      return new HashSet<>(files.filter(f -> f.getFileName().toString().endsWith(".xdr")).toList());
    }
  }

  private static String tail(String log) {
    String[] lines = log.strip().split("\n");
    return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 8), lines.length));
  }
}
