package dev.regcheck.nfs;

import dev.regcheck.nfs.RpcConnection.Args;
import dev.regcheck.nfs.RpcConnection.Credential;
import dev.regcheck.nfs.RpcConnection.Endpoint;
import dev.regcheck.nfs.RpcConnection.Reader;
import dev.regcheck.nfs.WriteProbe.Step;
import dev.regcheck.nfs.WriteProbe.StepResult;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Talks ONC RPC over TCP to an NFS server, as step S02 checks it: the portmapper's registrations,
 * the MOUNT export list, the NFS NULL procedure per version, and a write probe that creates, reads
 * back and removes a small file.
 *
 * <p>Every connection is made within the connect timeout and every call answered within the call
 * timeout (the RPC library's own defaults wait forever). Each operation opens its connections and
 * closes them before it returns, so no thread outlives it. Every failure is an
 * {@link NfsProbeException} with a one-line message naming the {@code host:port} tried. Instances
 * are immutable and may be shared.
 */
public final class NfsProbe {
  /** The portmapper's well-known port. */
  public static final int PORTMAPPER_PORT = 111;
  /** Where NFS listens when the portmapper does not say (NFSv4 servers need no portmapper). */
  public static final int NFS_PORT = 2049;
  /** The write probe's largest content: one WRITE and one READ carry it on any server. */
  public static final int MAX_PROBE_BYTES = 8192;

  /**
   * Whether the probes send from a privileged source port, as a root kubelet's mounts do (only
   * root may bind one): where they cannot, an export requiring one refuses them, and that refusal
   * cannot be told from a permission problem.
   */
  public static boolean privilegedSourcePort() {
    return RpcConnection.PRIVILEGED;
  }
  /** The mode the write probe creates its file with. */
  private static final int FILE_MODE = 0644;
  private static final int AUTH_SYS = 1;

  private final String host;
  private final Duration connectTimeout;
  private final Duration callTimeout;
  private final int portmapperPort;

  /**
   * @param host the NFS server's host name or address
   * @param connectTimeout how long a TCP connect may take
   * @param callTimeout how long each call may wait for its reply
   */
  public NfsProbe(String host, Duration connectTimeout, Duration callTimeout) {
    this(host, connectTimeout, callTimeout, PORTMAPPER_PORT);
  }

  private NfsProbe(String host, Duration connectTimeout, Duration callTimeout, int portmapperPort) {
    if (Objects.requireNonNull(host, "host").isBlank()) {
      throw new IllegalArgumentException("the NFS server's host is empty");
    }
    this.host = host.strip();
    this.connectTimeout = positive(connectTimeout, "connect timeout");
    this.callTimeout = positive(callTimeout, "call timeout");
    if (portmapperPort < 1 || portmapperPort > 65535) {
      throw new IllegalArgumentException("portmapper port out of range: " + portmapperPort);
    }
    this.portmapperPort = portmapperPort;
  }

  private static Duration positive(Duration timeout, String what) {
    if (Objects.requireNonNull(timeout, what).toMillis() < 1) {
      throw new IllegalArgumentException(what + " must be at least 1 ms: " + timeout);
    }
    return timeout;
  }

  /** The same probe asking the portmapper on another port (tests; servers with a relocated portmapper). */
  public NfsProbe withPortmapperPort(int port) {
    return new NfsProbe(host, connectTimeout, callTimeout, port);
  }

  public String host() {
    return host;
  }

  /** The portmapper's registrations (PMAP v2 DUMP over TCP), in the order it lists them. */
  public List<Mapping> portmapDump() throws NfsProbeException {
    try (RpcConnection portmapper = open(portmapperPort)) {
      return portmapper.call(Portmap.DUMP, "", Args.VOID, Portmap::readDump, Credential.NONE);
    }
  }

  /** The export list (MOUNT v3 EXPORT over TCP, to the port the portmapper gives for MOUNT v3). */
  public List<Export> exports() throws NfsProbeException {
    int port;
    try (RpcConnection portmapper = open(portmapperPort)) {
      port = registeredPort(portmapper, Mount3.PROGRAM, Mount3.VERSION, "MOUNT");
    }
    try (RpcConnection mount = open(port)) {
      return mount.call(Mount3.EXPORT, "", Args.VOID, Mount3::readExports, Credential.NONE);
    }
  }

  /**
   * Calls the NULL procedure of NFS {@code version} over TCP, on the port the portmapper gives for
   * it, or on {@value #NFS_PORT} when the portmapper does not know the version or nothing listens
   * on its port. A version the server does not serve fails with status PROG_MISMATCH.
   */
  public NullReply nullCall(int version) throws NfsProbeException {
    int port;
    try (RpcConnection portmapper = open(portmapperPort)) {
      port = portmapper.call(Portmap.GETPORT, "NFS v" + version + " tcp",
          Portmap.getPortArgs(Nfs3.PROGRAM, version, Portmap.IPPROTO_TCP), Portmap::readPort, Credential.NONE);
    } catch (NfsProbeException e) {
      if (e.reason() != NfsProbeException.Reason.REFUSED) {
        throw e;
      }
      port = 0;
    }
    boolean fromPortmapper = port != 0;
    try (RpcConnection nfs = open(fromPortmapper ? port : NFS_PORT)) {
      long start = System.nanoTime();
      nfs.call(Nfs3.nullProcedure(version), "", Args.VOID, Reader.VOID, Credential.NONE);
      return new NullReply(version, nfs.endpoint().toString(), fromPortmapper,
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** {@link #writeProbe(String, String, byte[], Consumer)} with nothing run between READ and REMOVE. */
  public WriteProbe writeProbe(String exportPath, String fileName, byte[] content) {
    return writeProbe(exportPath, fileName, content, path -> { });
  }

  /**
   * Mounts {@code exportPath} (MOUNT v3) and, as AUTH_SYS uid 0 gid 0 over NFS v3: checks that
   * {@code fileName} does not exist (LOOKUP), creates it GUARDED with mode 0644, writes
   * {@code content} FILE_SYNC, reads it back and compares, removes it, unmounts. A file that already
   * exists is never touched. Failures do not throw: they are in the result, with the step.
   *
   * @param afterWrite runs once the content was written and read back, before REMOVE, with the
   *     file's path as clients see it ({@link WriteProbe#path()}); whatever it throws propagates
   *     after REMOVE and UMNT have run
   * @throws IllegalArgumentException for a relative export path, a file name that is not a single
   *     path component, or content over {@value #MAX_PROBE_BYTES} bytes
   */
  public WriteProbe writeProbe(String exportPath, String fileName, byte[] content, Consumer<String> afterWrite) {
    if (!exportPath.startsWith("/")) {
      throw new IllegalArgumentException("the export path must be absolute: " + exportPath);
    }
    if (fileName.isEmpty() || fileName.contains("/") || fileName.equals(".") || fileName.equals("..")) {
      throw new IllegalArgumentException("the file name must be one path component: " + fileName);
    }
    if (content.length > MAX_PROBE_BYTES) {
      throw new IllegalArgumentException("at most " + MAX_PROBE_BYTES + " bytes: " + content.length);
    }
    return new WriteRun(exportPath, fileName, content.clone(), Objects.requireNonNull(afterWrite)).run();
  }

  private RpcConnection open(int port) throws NfsProbeException {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw NfsProbeException.unknownHost(host, port, e);
    }
    return RpcConnection.open(new Endpoint(host, new InetSocketAddress(address, port)), connectTimeout, callTimeout);
  }

  /** GETPORT over TCP; NOT_REGISTERED when the portmapper answers 0. */
  private static int registeredPort(RpcConnection portmapper, int program, int version, String name)
      throws NfsProbeException {
    String subject = name + " v" + version + " tcp";
    int port = portmapper.call(Portmap.GETPORT, subject,
        Portmap.getPortArgs(program, version, Portmap.IPPROTO_TCP), Portmap::readPort, Credential.NONE);
    if (port == 0) {
      throw NfsProbeException.call(portmapper.endpoint(), Portmap.GETPORT.name() + " " + subject,
          NfsProbeException.Reason.NOT_REGISTERED, null,
          "program " + program + " version " + version + " over tcp is not registered", null);
    }
    return port;
  }

  /** One call that may fail with an {@link NfsProbeException}. */
  @FunctionalInterface
  private interface ProbeCall<T> {
    T call() throws NfsProbeException;
  }

  /** One run of the write probe: its connections, opened when a step first needs them, and its record. */
  private final class WriteRun {
    private final String exportPath;
    private final String fileName;
    private final String path;
    private final byte[] content;
    private final Consumer<String> afterWrite;
    private final List<StepResult> steps = new ArrayList<>();
    private NfsProbeException failure;
    private int mountPort;
    private int nfsPort;
    private RpcConnection mount;
    private RpcConnection nfs;

    WriteRun(String exportPath, String fileName, byte[] content, Consumer<String> afterWrite) {
      this.exportPath = exportPath;
      this.fileName = fileName;
      this.path = WriteProbe.join(exportPath, fileName);
      this.content = content;
      this.afterWrite = afterWrite;
    }

    WriteProbe run() {
      try {
        step(Step.PORTMAP, this::lookUpPorts, ports -> ports);
        byte[] root = step(Step.MNT, this::mountExport, handle -> "root file handle of " + handle.length + " bytes");
        try {
          step(Step.LOOKUP, () -> expectAbsent(root), status -> "no such file yet (" + status + ")");
          byte[] file = step(Step.CREATE, () -> create(root),
              handle -> "created GUARDED with mode 0" + Integer.toOctalString(FILE_MODE));
          try {
            step(Step.WRITE, () -> write(file), committed -> "wrote " + content.length + " bytes, " + committed);
            step(Step.READ, () -> readBack(file), count -> "read back the " + count + " bytes written");
            afterWrite.accept(path);
          } finally {
            cleanUp(Step.REMOVE, () -> remove(root), none -> "removed");
          }
        } finally {
          cleanUp(Step.UMNT, this::unmount, none -> "unmounted");
        }
      } catch (NfsProbeException recorded) {
        // step() recorded it; REMOVE and UMNT have run
      } finally {
        if (nfs != null) {
          nfs.close();
        }
        if (mount != null) {
          mount.close();
        }
      }
      return new WriteProbe(host, exportPath, fileName, steps, failure);
    }

    private <T> T step(Step step, ProbeCall<T> call, Function<T, Object> detail) throws NfsProbeException {
      long start = System.nanoTime();
      try {
        T result = call.call();
        steps.add(new StepResult(step, true, String.valueOf(detail.apply(result)), since(start)));
        return result;
      } catch (NfsProbeException e) {
        NfsProbeException atStep = e.at(step);
        steps.add(new StepResult(step, false, atStep.getMessage(), since(start)));
        if (failure == null) {
          failure = atStep;
        } else {
          failure.addSuppressed(atStep);
        }
        throw atStep;
      }
    }

    /** A step that must run even after a failure; its own failure is recorded, not thrown. */
    private <T> void cleanUp(Step step, ProbeCall<T> call, Function<T, Object> detail) {
      try {
        step(step, call, detail);
      } catch (NfsProbeException recorded) {
        // in the record; an earlier failure stays the probe's failure
      }
    }

    private Duration since(long start) {
      return Duration.ofNanos(System.nanoTime() - start);
    }

    private String lookUpPorts() throws NfsProbeException {
      try (RpcConnection portmapper = open(portmapperPort)) {
        mountPort = registeredPort(portmapper, Mount3.PROGRAM, Mount3.VERSION, "MOUNT");
        nfsPort = registeredPort(portmapper, Nfs3.PROGRAM, Nfs3.VERSION, "NFS");
      }
      return "MOUNT v3 on port " + mountPort + ", NFS v3 on port " + nfsPort + " (tcp)";
    }

    private RpcConnection mount() throws NfsProbeException {
      if (mount == null) {
        mount = open(mountPort);
      }
      return mount;
    }

    private RpcConnection nfs() throws NfsProbeException {
      if (nfs == null) {
        nfs = open(nfsPort);
      }
      return nfs;
    }

    private byte[] mountExport() throws NfsProbeException {
      Mount3.MountReply reply = mount().call(Mount3.MNT, exportPath, Mount3.dirPath(exportPath), Mount3::readMount,
          Credential.ROOT);
      if (reply.status() != Mount3.MNT3_OK) {
        throw failed(mount, Mount3.MNT, exportPath, NfsProbeException.Reason.MOUNT_STATUS,
            Mount3.Status.name(reply.status()), Mount3.Status.describe(reply.status()));
      }
      if (reply.authFlavors().length > 0 && Arrays.stream(reply.authFlavors()).noneMatch(f -> f == AUTH_SYS)) {
        throw failed(mount, Mount3.MNT, exportPath, NfsProbeException.Reason.UNEXPECTED, null,
            "the export does not offer AUTH_SYS, only the flavors " + Arrays.toString(reply.authFlavors()));
      }
      return reply.handle();
    }

    private String expectAbsent(byte[] root) throws NfsProbeException {
      Nfs3.HandleReply reply = nfs().call(Nfs3.LOOKUP, path, Nfs3.dirOp(root, fileName), Nfs3::readLookup,
          Credential.ROOT);
      if (reply.status() == Nfs3.NFS3_OK) {
        throw failed(nfs, Nfs3.LOOKUP, path, NfsProbeException.Reason.UNEXPECTED, null,
            "the file already exists; the probe leaves it alone");
      }
      if (reply.status() != Nfs3.NFS3ERR_NOENT) {
        throw nfsStatus(Nfs3.LOOKUP, path, reply.status());
      }
      return Nfs3.Status.name(reply.status());
    }

    private byte[] create(byte[] root) throws NfsProbeException {
      Nfs3.HandleReply reply = nfs().call(Nfs3.CREATE, path + " (GUARDED)",
          Nfs3.createGuarded(root, fileName, FILE_MODE), Nfs3::readCreate, Credential.ROOT);
      if (reply.status() != Nfs3.NFS3_OK) {
        throw nfsStatus(Nfs3.CREATE, path + " (GUARDED)", reply.status());
      }
      if (reply.handle() != null) {
        return reply.handle();
      }
      // post_op_fh3 is optional: the handle then comes from a LOOKUP
      Nfs3.HandleReply lookup = nfs.call(Nfs3.LOOKUP, path, Nfs3.dirOp(root, fileName), Nfs3::readLookup,
          Credential.ROOT);
      if (lookup.status() != Nfs3.NFS3_OK) {
        throw nfsStatus(Nfs3.LOOKUP, path, lookup.status());
      }
      return lookup.handle();
    }

    private String write(byte[] file) throws NfsProbeException {
      Nfs3.WriteReply reply = nfs().call(Nfs3.WRITE, path, Nfs3.writeFileSync(file, content), Nfs3::readWrite,
          Credential.ROOT);
      if (reply.status() != Nfs3.NFS3_OK) {
        throw nfsStatus(Nfs3.WRITE, path, reply.status());
      }
      if (reply.count() != content.length) {
        throw failed(nfs, Nfs3.WRITE, path, NfsProbeException.Reason.UNEXPECTED, null,
            "short write, " + reply.count() + " of " + content.length + " bytes");
      }
      if (reply.committed() != Nfs3.FILE_SYNC) {
        throw failed(nfs, Nfs3.WRITE, path, NfsProbeException.Reason.UNEXPECTED, null,
            "FILE_SYNC was asked but the server committed only as stable_how " + reply.committed());
      }
      return "committed FILE_SYNC";
    }

    /** Reads until end of file or one byte more than was written, then compares. */
    private int readBack(byte[] file) throws NfsProbeException {
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      boolean eof = false;
      while (!eof && read.size() <= content.length) {
        Nfs3.ReadReply reply = nfs().call(Nfs3.READ, path, Nfs3.read(file, read.size(), content.length + 1 - read.size()),
            Nfs3::readRead, Credential.ROOT);
        if (reply.status() != Nfs3.NFS3_OK) {
          throw nfsStatus(Nfs3.READ, path, reply.status());
        }
        read.writeBytes(reply.data());
        eof = reply.eof() || reply.data().length == 0;
      }
      if (!Arrays.equals(read.toByteArray(), content)) {
        throw failed(nfs, Nfs3.READ, path, NfsProbeException.Reason.UNEXPECTED, null,
            "read back " + read.size() + " bytes that differ from the " + content.length + " written");
      }
      return content.length;
    }

    private Void remove(byte[] root) throws NfsProbeException {
      int status = nfs().call(Nfs3.REMOVE, path, Nfs3.dirOp(root, fileName), Nfs3::readRemove, Credential.ROOT);
      if (status != Nfs3.NFS3_OK) {
        throw nfsStatus(Nfs3.REMOVE, path, status);
      }
      return null;
    }

    private Void unmount() throws NfsProbeException {
      return mount().call(Mount3.UMNT, exportPath, Mount3.dirPath(exportPath), Reader.VOID, Credential.ROOT);
    }

    private NfsProbeException nfsStatus(RpcConnection.Procedure procedure, String subject, int status) {
      return failed(nfs, procedure, subject, NfsProbeException.Reason.NFS_STATUS, Nfs3.Status.name(status),
          Nfs3.Status.describe(status));
    }

    private NfsProbeException failed(RpcConnection connection, RpcConnection.Procedure procedure, String subject,
        NfsProbeException.Reason reason, String status, String words) {
      return NfsProbeException.call(connection.endpoint(), procedure.name() + " " + subject, reason, status, words,
          null);
    }
  }
}
