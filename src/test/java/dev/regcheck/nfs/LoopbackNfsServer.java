package dev.regcheck.nfs;

import dev.regcheck.lab.nfs.Commands;
import dev.regcheck.lab.nfs.NfsServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import java.nio.charset.StandardCharsets;

/**
 * The probe tests' server: the lab's {@link NfsServer} exporting {@code <work>/export} under its own
 * path (no mount namespace), where it cannot run ({@link NfsServer.Unavailable}) aborting the
 * calling test with the reason — a skip, never a failure — plus the command helpers the tests use.
 */
final class LoopbackNfsServer implements AutoCloseable {
  /** How the export may be used. */
  enum Access { RW, RO }

  static final String HOST = NfsServer.HOST;
  static final int NFS_PORT = NfsServer.NFS_PORT;
  static final int MOUNT_PORT = NfsServer.MOUNT_PORT;

  private final NfsServer server;

  private LoopbackNfsServer(NfsServer server) {
    this.server = server;
  }

  static LoopbackNfsServer start(Path work, Access access) throws IOException, InterruptedException {
    Path export = work.resolve("export").toAbsolutePath();
    try {
      return new LoopbackNfsServer(NfsServer.start(work, export, export.toString(),
          access == Access.RW ? NfsServer.Access.RW : NfsServer.Access.RO));
    } catch (NfsServer.Unavailable e) {
      Assumptions.abort(e.getMessage());
      throw new AssertionError("unreachable");
    }
  }

  Path exportDir() {
    return server.exportDir();
  }

  String exportPath() {
    return server.exportPath();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** A finished command. */
  record Result(int exit, byte[] stdout, String stderr) {
    String output() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  static Result run(String... argv) {
    Commands.Result r = Commands.run(argv);
    return new Result(r.exit(), r.stdout(), r.stderr());
  }

  static Optional<Path> onPath(String tool) {
    return Commands.onPath(tool);
  }
}
