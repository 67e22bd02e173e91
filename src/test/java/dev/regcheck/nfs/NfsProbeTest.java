package dev.regcheck.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regcheck.nfs.LoopbackNfsServer.Access;
import dev.regcheck.nfs.WriteProbe.Step;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.dcache.oncrpc4j.rpc.OncRpcProgram;
import org.dcache.oncrpc4j.rpc.OncRpcSvc;
import org.dcache.oncrpc4j.rpc.OncRpcSvcBuilder;
import org.dcache.oncrpc4j.rpc.RpcAuthError;
import org.dcache.oncrpc4j.rpc.RpcAuthStat;
import org.dcache.oncrpc4j.rpc.RpcRejectStatus;
import org.dcache.oncrpc4j.rpc.net.IpProtocolType;
import org.dcache.oncrpc4j.xdr.XdrInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The probe against the real thing: rpcbind and nfs-ganesha on loopback ({@link LoopbackNfsServer}),
 * each answer compared with what the reference clients ({@code rpcinfo}, {@code showmount},
 * {@code nfs-cat}) see; and its failure messages against a port nobody listens on and a server that
 * never answers. The read-write and the read-only server run one after the other (both need 2049).
 */
@DisplayName("NFS probe")
class NfsProbeTest {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static NfsProbe probe() {
    return new NfsProbe(LoopbackNfsServer.HOST, CONNECT_TIMEOUT, CALL_TIMEOUT);
  }

  private static String uniqueName() {
    return "regcheck-probe-" + UUID.randomUUID() + ".txt";
  }

  @Test
  @DisplayName("nothing listening on the portmapper port: 'connection refused' naming host:port, in under 2 s")
  void refused() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      port = s.getLocalPort();
    }
    long start = System.nanoTime();

    assertThatThrownBy(() -> probe().withPortmapperPort(port).portmapDump())
        .isInstanceOfSatisfying(NfsProbeException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("127.0.0.1:" + port + ": connection refused");
          assertThat(e.reason()).isEqualTo(NfsProbeException.Reason.REFUSED);
          assertThat(e.address()).isEqualTo("127.0.0.1:" + port);
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("a server that accepts but never answers: 'timed out' after the call timeout")
  void silentServerTimesOut() throws Exception {
    Duration callTimeout = Duration.ofMillis(1000);
    try (ServerSocket server = new ServerSocket(0, 4, LOOPBACK)) {
      Thread silent = new Thread(() -> swallow(server), "silent-rpc-server");
      silent.setDaemon(true);
      silent.start();
      NfsProbe probe = new NfsProbe(LoopbackNfsServer.HOST, CONNECT_TIMEOUT, callTimeout)
          .withPortmapperPort(server.getLocalPort());
      long start = System.nanoTime();

      assertThatThrownBy(probe::portmapDump).isInstanceOfSatisfying(NfsProbeException.class, e -> {
        assertThat(e.getMessage()).isEqualTo("127.0.0.1:" + server.getLocalPort()
            + ": portmapper v2 DUMP: timed out after 1000 ms waiting for the reply");
        assertThat(e.reason()).isEqualTo(NfsProbeException.Reason.CALL_TIMEOUT);
      });
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(callTimeout.minusMillis(50), callTimeout.plusMillis(1500));
    }
  }

  /** Accepts connections and reads whatever arrives, never answering, until the socket closes. */
  private static void swallow(ServerSocket server) {
    try (Socket connection = server.accept(); InputStream in = connection.getInputStream()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException closed) {
      // the test closed the server socket
    }
  }

  @Test
  @DisplayName("a portmapper without MOUNT: 'not registered'; one refusing the credential: AUTH_ERROR")
  void portmapperRefusals() throws Exception {
    OncRpcSvc portmapper = new OncRpcSvcBuilder().withTCP().withoutAutoPublish().withSameThreadIoStrategy()
        .withBindAddress(LoopbackNfsServer.HOST).withPort(0).withServiceName("fake-portmapper")
        .withRpcService(new OncRpcProgram(Portmap.PROGRAM, Portmap.VERSION), call -> {
          if (call.getProcedure() == Portmap.GETPORT.number()) {
            call.reply(new XdrInt(0));
          } else {
            call.reject(RpcRejectStatus.AUTH_ERROR, new RpcAuthError(RpcAuthStat.AUTH_TOOWEAK));
          }
        })
        .build();
    portmapper.start();
    try {
      int port = portmapper.getInetSocketAddress(IpProtocolType.TCP).getPort();
      NfsProbe probe = probe().withPortmapperPort(port);

      assertThatThrownBy(probe::exports).isInstanceOfSatisfying(NfsProbeException.class, e -> {
        assertThat(e.reason()).isEqualTo(NfsProbeException.Reason.NOT_REGISTERED);
        assertThat(e.getMessage()).isEqualTo("127.0.0.1:" + port
            + ": portmapper v2 GETPORT MOUNT v3 tcp: program 100005 version 3 over tcp is not registered");
      });
      assertThatThrownBy(probe::portmapDump).isInstanceOfSatisfying(NfsProbeException.class, e -> {
        assertThat(e.reason()).isEqualTo(NfsProbeException.Reason.RPC_DENIED);
        assertThat(e.status()).contains("AUTH_ERROR");
        assertThat(e.getMessage()).isEqualTo("127.0.0.1:" + port
            + ": portmapper v2 DUMP: AUTH_ERROR, the server rejected the AUTH_NONE credential");
      });
      WriteProbe write = probe.writeProbe("/nfs", uniqueName(), new byte[] {1});
      assertThat(write.steps()).extracting(WriteProbe.StepResult::step).containsExactly(Step.PORTMAP);
      assertThat(write.failure()).get().extracting(NfsProbeException::step).isEqualTo(Optional.of(Step.PORTMAP));
    } finally {
      portmapper.stop();
    }
  }

  @Test
  @DisplayName("timeouts must be positive, the write probe's file one path component and its content small")
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new NfsProbe("nfs", Duration.ZERO, CALL_TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect timeout");
    assertThatThrownBy(() -> new NfsProbe("nfs", CONNECT_TIMEOUT, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("call timeout");
    assertThatThrownBy(() -> probe().writeProbe("nfs", "f", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    assertThatThrownBy(() -> probe().writeProbe("/nfs", "a/b", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one path component");
    assertThatThrownBy(() -> probe().writeProbe("/nfs", "f", new byte[NfsProbe.MAX_PROBE_BYTES + 1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
  }

  /**
   * Runs its tests against one server, started before the first and stopped after the last. Where
   * the server cannot run, each test is skipped with the reason (an abort in {@code @BeforeAll}
   * alone would hide the tests from the report).
   */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class WithServer {
    LoopbackNfsServer server;
    private String unavailable;

    abstract Access access();

    @BeforeAll
    void startServer(@TempDir Path work) throws Exception {
      try {
        server = LoopbackNfsServer.start(work, access());
      } catch (TestAbortedException e) {
        unavailable = e.getMessage();
      }
    }

    @BeforeEach
    void serverRunning() {
      if (server == null) {
        abort(unavailable);
      }
    }

    @AfterAll
    void stopServer() throws Exception {
      if (server != null) {
        server.close();
      }
    }
  }

  @Nested
  @DisplayName("against a read-write export")
  class ReadWriteExport extends WithServer {
    @Override
    Access access() {
      return Access.RW;
    }

    @Test
    @DisplayName("the portmapper dump lists NFS v3+v4 and MOUNT v3 over TCP, exactly as rpcinfo -p prints it")
    void dumpEqualsRpcinfo() throws Exception {
      LoopbackNfsServer.Result rpcinfo = LoopbackNfsServer.run("rpcinfo", "-p", LoopbackNfsServer.HOST);
      assertThat(rpcinfo.exit()).as(rpcinfo.stderr()).isZero();

      List<Mapping> dump = probe().portmapDump();

      assertThat(Mapping.versions(dump, Mapping.NFS, "tcp")).contains(3L, 4L);
      assertThat(Mapping.versions(dump, Mapping.MOUNT, "tcp")).contains(3L);
      assertThat(Mapping.port(dump, Mapping.NFS, 3, "tcp")).contains(LoopbackNfsServer.NFS_PORT);
      assertThat(Mapping.port(dump, Mapping.MOUNT, 3, "tcp")).contains(LoopbackNfsServer.MOUNT_PORT);
      assertThat(dump).containsExactlyElementsOf(parseRpcinfo(rpcinfo.output()));
    }

    /** {@code rpcinfo -p}: a header, then {@code program vers proto port [service]} per line. */
    private List<Mapping> parseRpcinfo(String output) {
      List<Mapping> mappings = new ArrayList<>();
      output.lines().skip(1).map(String::trim).filter(l -> !l.isEmpty()).forEach(line -> {
        String[] f = line.split("\\s+");
        mappings.add(new Mapping(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], Integer.parseInt(f[3])));
      });
      return mappings;
    }

    @Test
    @DisplayName("the export list is what showmount -e prints: the export for all hosts")
    void exportsEqualShowmount() throws Exception {
      LoopbackNfsServer.Result showmount = LoopbackNfsServer.run(tool("showmount", "nfs-common"), "-e",
          LoopbackNfsServer.HOST);
      assertThat(showmount.exit()).as(showmount.stderr()).isZero();

      List<Export> exports = probe().exports();

      assertThat(exports).containsExactly(new Export(server.exportPath(), List.of("*")));
      assertThat(exports.get(0).forAllHosts()).isTrue();
      assertThat(exports).containsExactlyElementsOf(parseShowmount(showmount.output()));
    }

    /** {@code showmount -e}: {@code Export list for <host>:}, then {@code <path> <group>[,<group>…]} per line. */
    private List<Export> parseShowmount(String output) {
      List<Export> exports = new ArrayList<>();
      output.lines().skip(1).map(String::trim).filter(l -> !l.isEmpty()).forEach(line -> {
        String[] f = line.split("\\s+", 2);
        exports.add(new Export(f[0], f.length < 2 ? List.of() : Arrays.asList(f[1].trim().split(","))));
      });
      return exports;
    }

    @Test
    @DisplayName("NFS v3 and v4 answer NULL on the port the portmapper gives; v2 is PROG_MISMATCH")
    void nullCalls() throws Exception {
      for (int version : new int[] {3, 4}) {
        NullReply reply = probe().nullCall(version);

        assertThat(reply.version()).isEqualTo(version);
        assertThat(reply.address()).isEqualTo("127.0.0.1:" + LoopbackNfsServer.NFS_PORT);
        assertThat(reply.portFromPortmapper()).isTrue();
      }
      assertThatThrownBy(() -> probe().nullCall(2)).isInstanceOfSatisfying(NfsProbeException.class, e -> {
        assertThat(e.status()).contains("PROG_MISMATCH");
        assertThat(e.getMessage())
            .isEqualTo("127.0.0.1:2049: NFS v2 NULL: PROG_MISMATCH, version 2 of program 100003 is not served");
      });
    }

    @Test
    @DisplayName("the write probe creates, writes, reads back and removes; nfs-cat reads the same bytes in between")
    void writeProbe() throws Exception {
      String nfsCat = tool("nfs-cat", "libnfs-utils");
      String name = uniqueName();
      byte[] content = ("written by regcheck's NFS probe " + name + "\n").getBytes(StandardCharsets.UTF_8);
      AtomicReference<String> hookPath = new AtomicReference<>();
      AtomicReference<LoopbackNfsServer.Result> catResult = new AtomicReference<>();
      AtomicReference<byte[]> onDisk = new AtomicReference<>();

      WriteProbe probe = probe().writeProbe(server.exportPath(), name, content, path -> {
        hookPath.set(path);
        catResult.set(LoopbackNfsServer.run(nfsCat, "nfs://" + LoopbackNfsServer.HOST + path));
        onDisk.set(readIfPresent(server.exportDir().resolve(name)));
      });

      assertThat(probe.succeeded()).as(probe.toString()).isTrue();
      assertThat(probe.steps()).extracting(WriteProbe.StepResult::step).containsExactly(Step.values());
      assertThat(hookPath.get()).isEqualTo(server.exportPath() + "/" + name).isEqualTo(probe.path());
      assertThat(catResult.get().exit()).as(catResult.get().stderr()).isZero();
      assertThat(catResult.get().stdout()).isEqualTo(content);
      assertThat(onDisk.get()).isEqualTo(content);
      assertThat(server.exportDir().resolve(name)).doesNotExist();
    }

    private byte[] readIfPresent(Path file) {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        return null;
      }
    }

    @Test
    @DisplayName("a file that already exists fails the probe at LOOKUP and is left alone")
    void existingFileIsLeftAlone() throws Exception {
      String name = uniqueName();
      Path existing = server.exportDir().resolve(name);
      Files.writeString(existing, "not the probe's");
      try {
        WriteProbe probe = probe().writeProbe(server.exportPath(), name, new byte[] {1});

        assertThat(probe.failure()).get().satisfies(e -> {
          assertThat(e.step()).contains(Step.LOOKUP);
          assertThat(e.reason()).isEqualTo(NfsProbeException.Reason.UNEXPECTED);
        });
        assertThat(probe.steps()).extracting(WriteProbe.StepResult::step)
            .containsExactly(Step.PORTMAP, Step.MNT, Step.LOOKUP, Step.UMNT);
        assertThat(existing).hasContent("not the probe's");
      } finally {
        Files.delete(existing);
      }
    }

    @Test
    @DisplayName("probes leave no client thread behind")
    void noThreadsLeftBehind() throws Exception {
      long before = probeThreads().size();
      List<List<String>> during = new ArrayList<>();

      probe().portmapDump();
      probe().exports();
      probe().nullCall(3);
      probe().writeProbe(server.exportPath(), uniqueName(), new byte[] {42}, path -> during.add(probeThreads()))
          .orThrow();

      assertThat(during.get(0)).as("the pattern sees the client's threads while it runs").isNotEmpty();
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (probeThreads().size() > before && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(probeThreads()).hasSizeLessThanOrEqualTo((int) before);
    }

    /** Live threads of oncrpc4j clients: Grizzly's selector and workers, reply-timeout threads. */
    private List<String> probeThreads() {
      return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
          .filter(n -> n.startsWith(RpcConnection.SERVICE_NAME) || n.contains("ReplyQueue") || n.contains("Grizzly"))
          .toList();
    }
  }

  @Nested
  @DisplayName("against a read-only export")
  class ReadOnlyExport extends WithServer {
    @Override
    Access access() {
      return Access.RO;
    }

    @Test
    @DisplayName("the write probe fails at CREATE with NFS3ERR_ROFS, and still unmounts")
    void createIsRefused() {
      List<String> hook = new ArrayList<>();

      WriteProbe probe = probe().writeProbe(server.exportPath(), uniqueName(), new byte[] {1}, hook::add);

      assertThat(probe.succeeded()).isFalse();
      assertThat(probe.failure()).get().satisfies(e -> {
        assertThat(e.step()).contains(Step.CREATE);
        assertThat(e.status()).contains("NFS3ERR_ROFS");
        assertThat(e.reason()).isEqualTo(NfsProbeException.Reason.NFS_STATUS);
        assertThat(e.getMessage()).isEqualTo("127.0.0.1:2049: NFS v3 CREATE " + probe.path()
            + " (GUARDED): NFS3ERR_ROFS, read-only file system");
      });
      assertThat(probe.steps()).extracting(WriteProbe.StepResult::step)
          .containsExactly(Step.PORTMAP, Step.MNT, Step.LOOKUP, Step.CREATE, Step.UMNT);
      assertThat(probe.step(Step.UMNT)).get().extracting(WriteProbe.StepResult::ok).isEqualTo(true);
      assertThat(hook).isEmpty();
      assertThatThrownBy(probe::orThrow).isSameAs(probe.failure().get());
    }
  }

  /** The tool's path; the test is skipped when it is not installed. */
  private static String tool(String name, String debianPackage) {
    var path = LoopbackNfsServer.onPath(name);
    assumeTrue(path.isPresent(), name + " is not installed (package " + debianPackage + ")");
    return path.get().toString();
  }
}
