package dev.regcheck.nfs;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real NFS server on loopback for the probe's tests: rpcbind (socket-activated on 127.0.0.1:111
 * and [::1]:111 by a python launcher) and nfs-ganesha (bound to {@code ::ffff:127.0.0.1}, NFS on
 * 2049, MOUNT on 20048, v3 and v4 over TCP) exporting a temporary directory read-write or
 * read-only. Both run as children of this JVM, tracked by PID, stopped by PID (SIGTERM, SIGKILL
 * after 5 s) and reaped. Before use, {@code ss} must show 111, 2049 and 20048 bound on loopback
 * only. Everything ganesha writes stays in the work directory; the files rpcbind leaves in /run
 * are removed on {@link #close()}.
 *
 * <p>Where it cannot run (not root, rpcbind or ganesha.nfsd or a tool missing, a port already in
 * use, another rpcbind holding its lock) {@link #start} aborts the calling test with the reason:
 * a skip, never a failure.
 */
final class LoopbackNfsServer implements AutoCloseable {
  /** How the export may be used. */
  enum Access { RW, RO }

  static final String HOST = "127.0.0.1";
  static final int NFS_PORT = 2049;
  static final int MOUNT_PORT = 20048;
  private static final int PORTMAPPER_PORT = 111;
  private static final List<Integer> PORTS = List.of(PORTMAPPER_PORT, NFS_PORT, MOUNT_PORT);
  private static final Path RPCBIND_SOCK = Path.of("/run/rpcbind.sock");
  private static final Path RPCBIND_LOCK = Path.of("/run/rpcbind.lock");
  private static final Path RPCBIND_STATE = Path.of("/run/rpcbind");
  private static final Duration RPCBIND_READY = Duration.ofSeconds(10);
  /** ganesha's first start on a new machine takes about 7 s; later ones 0.1 s. */
  private static final Duration GANESHA_READY = Duration.ofSeconds(30);
  private static final long STOP_GRACE_SECONDS = 5;
  private static final Pattern LOOPBACK = Pattern.compile("(127\\.0\\.0\\.1|\\[::1]|\\[::ffff:127\\.0\\.0\\.1]):\\d+");

  private final Path work;
  private final Path export;
  private final Set<Path> stateFilesBefore;
  private Process rpcbind;
  private boolean rpcbindOwnsRunFiles;
  private Process ganesha;

  private LoopbackNfsServer(Path work, Set<Path> stateFilesBefore) {
    this.work = work;
    this.export = work.resolve("export");
    this.stateFilesBefore = stateFilesBefore;
  }

  /** Starts rpcbind and ganesha exporting {@code <work>/export}; aborts the test where they cannot run. */
  static LoopbackNfsServer start(Path work, Access access) throws IOException, InterruptedException {
    Path rpcbindBinary = Path.of("/usr/sbin/rpcbind");
    Path ganeshaBinary = Path.of("/usr/bin/ganesha.nfsd");
    skipUnless("root".equals(System.getProperty("user.name")),
        "the loopback NFS server needs root (ganesha serves files only as root, rpcbind binds port 111)");
    skipUnless(Files.isExecutable(rpcbindBinary), "rpcbind is not installed (" + rpcbindBinary + ")");
    skipUnless(Files.isExecutable(ganeshaBinary),
        "ganesha.nfsd is not installed (" + ganeshaBinary + ", packages nfs-ganesha nfs-ganesha-vfs)");
    for (String tool : List.of("python3", "ss", "rpcinfo")) {
      skipUnless(onPath(tool).isPresent(), tool + " is not installed");
    }
    for (int port : PORTS) {
      List<String> holders = listeners(port);
      skipUnless(holders.isEmpty(), "port " + port + " is already in use: " + String.join("; ", holders));
    }

    Files.createDirectories(work);
    LoopbackNfsServer server = new LoopbackNfsServer(work, rpcbindStateFiles());
    try {
      server.startRpcbind(rpcbindBinary);
      server.startGanesha(ganeshaBinary, access);
      server.verifyLoopbackOnly();
      return server;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** Aborts the calling test, a skip with {@code reason}, unless {@code condition} holds. */
  private static void skipUnless(boolean condition, String reason) {
    if (!condition) {
      Assumptions.abort(reason);
    }
  }

  /** The exported directory on this machine, which is also the path clients mount over NFSv3. */
  Path exportDir() {
    return export;
  }

  String exportPath() {
    return export.toString();
  }

  private void startRpcbind(Path binary) throws IOException, InterruptedException {
    Path launcher = work.resolve("rpcbind-launch.py");
    try (InputStream in = LoopbackNfsServer.class.getResourceAsStream("rpcbind-launch.py")) {
      if (in == null) {
        throw new IllegalStateException("test resource dev/regcheck/nfs/rpcbind-launch.py is missing");
      }
      Files.copy(in, launcher);
    }
    Path python = Files.isExecutable(Path.of("/usr/bin/python3")) ? Path.of("/usr/bin/python3") : onPath("python3").get();
    rpcbind = new ProcessBuilder(python.toString(), launcher.toString(), binary.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(work.resolve("rpcbind.log").toFile())
        .start();
    awaitReady("rpcbind", rpcbind, RPCBIND_READY, work.resolve("rpcbind.log"),
        () -> run("rpcinfo", "-p", HOST).exit() == 0);
    // it holds /run/rpcbind.lock and has bound /run/rpcbind.sock: both are its own now
    rpcbindOwnsRunFiles = true;
  }

  private void startGanesha(Path binary, Access access) throws IOException, InterruptedException {
    Files.createDirectories(export);
    Files.createDirectories(work.resolve("recov"));
    Files.createDirectories(work.resolve("run"));
    Path config = work.resolve("ganesha.conf");
    Files.writeString(config, config(access));
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-F", "-f", config.toString(),
        "-L", work.resolve("ganesha.log").toString(), "-p", work.resolve("ganesha.pid").toString(), "-N", "NIV_EVENT")
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(work.resolve("ganesha.out").toFile());
    // otherwise ganesha rewrites /run/blkid/blkid.tab
    builder.environment().put("BLKID_FILE", work.resolve("blkid.tab").toString());
    ganesha = builder.start();
    awaitReady("ganesha", ganesha, GANESHA_READY, work.resolve("ganesha.log"),
        () -> run("rpcinfo", "-p", HOST).output().matches("(?s).*\\b100005\\s+3\\s+tcp\\s+" + MOUNT_PORT + "\\b.*")
            && run("rpcinfo", "-t", HOST, "nfs", "3").exit() == 0);
  }

  /** The configuration of the lab components' notes: loopback only, no NLM, RQUOTA, UDP or Kerberos. */
  private String config(Access access) {
    return """
        NFS_CORE_PARAM {
            Bind_addr = ::ffff:127.0.0.1;
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
            Pseudo = /nfs;
            Access_Type = %s;
            Squash = No_Root_Squash;
            Protocols = 3, 4;
            Transports = TCP;
            SecType = sys;
            CLIENT { Clients = *; Access_Type = %s; }
            FSAL { Name = VFS; }
        }
        """.formatted(NFS_PORT, MOUNT_PORT, work.resolve("recov"), work.resolve("run"), export, access, access);
  }

  /** Polls {@code ready} until it holds; fails with the process's log when it exits or the time is up. */
  private static void awaitReady(String name, Process process, Duration limit, Path log, BooleanSupplier ready)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        String output = Files.readString(log);
        skipUnless(!output.contains("another rpcbind is already running"),
            "another rpcbind is already running (it holds /run/rpcbind.lock, perhaps in another network namespace)");
        throw new IllegalStateException(name + " exited with status " + process.exitValue() + ": " + tail(output));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready after " + limit.toSeconds() + " s: " + tail(Files.readString(log)));
      }
      Thread.sleep(20);
    }
  }

  private void verifyLoopbackOnly() {
    for (int port : PORTS) {
      List<String> lines = listeners(port);
      if (lines.stream().noneMatch(l -> l.startsWith("tcp"))) {
        throw new IllegalStateException("nothing listens on tcp port " + port + ": " + lines);
      }
      for (String line : lines) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 5 || !LOOPBACK.matcher(fields[4]).matches()) {
          throw new IllegalStateException("port " + port + " is not bound on loopback only: " + line);
        }
      }
    }
  }

  /** The {@code ss -ltnupH} lines of sockets listening on {@code port} (tcp LISTEN, udp UNCONN). */
  static List<String> listeners(int port) {
    Result ss = run("ss", "-ltnupH");
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

  /** Stops ganesha, then rpcbind (each SIGTERM, SIGKILL after 5 s, reaped) and removes rpcbind's files in /run. */
  @Override
  public void close() throws IOException {
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
  }

  private static void stop(Process process) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      // the JDK's process reaper still reaps it once the SIGKILL lands
      process.destroyForcibly();
      Thread.currentThread().interrupt();
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

  /** A finished command: its exit status, standard output and standard error. */
  record Result(int exit, byte[] stdout, String stderr) {
    /** Standard output as text. */
    String output() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /** Runs a command (10 s at most) with no input; nothing it writes goes anywhere but the result. */
  static Result run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        throw new IllegalStateException(String.join(" ", argv) + " did not finish within 10 s");
      }
      return new Result(p.exitValue(), out, new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", argv) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", argv), e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  static Optional<Path> onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String tail(String log) {
    String[] lines = log.strip().split("\n");
    return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 8), lines.length));
  }
}
