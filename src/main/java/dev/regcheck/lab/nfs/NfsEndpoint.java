package dev.regcheck.lab.nfs;

import dev.regcheck.lab.process.ChildProcesses;
import java.io.IOException;
import java.util.Optional;

/**
 * A lab's NFS server wherever it runs ({@link LabNfs} in a network namespace of this machine, or a
 * container on a network of the lab's own): the address the lab's PV names, and why it runs none.
 */
public interface NfsEndpoint extends AutoCloseable, ChildProcesses {
  /** Where the lab's NFS server is reached; empty when the lab has no network of its own for it. */
  Optional<String> address();

  /** The network namespace's name, e.g. {@code regcheck-3}; empty when the server runs elsewhere. */
  Optional<String> namespace();

  /** Why the lab runs no NFS server where it could not run one; empty when it runs one, or for nfs-down. */
  Optional<String> unavailable();

  @Override
  void close() throws IOException;
}
