package dev.regcheck.nfs;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Any failure of an {@link NfsProbe}: the one exception type its operations throw, and the
 * {@link WriteProbe#failure() failure} of a write probe. {@link #getMessage()} is one line naming
 * the address tried, the operation and the cause in words, e.g.
 * {@code 127.0.0.1:111: connection refused},
 * {@code 127.0.0.1:111: portmapper v2 DUMP: timed out after 1500 ms waiting for the reply},
 * {@code 127.0.0.1:111: portmapper v2 GETPORT MOUNT v3 tcp: program 100005 version 3 over tcp is not registered},
 * {@code 127.0.0.1:2049: NFS v2 NULL: PROG_MISMATCH, version 2 of program 100003 is not served},
 * {@code 127.0.0.1:2049: NFS v3 CREATE /nfs/probe.txt (GUARDED): NFS3ERR_ROFS, read-only file system}.
 *
 * <p>{@link #reason()} classifies it; {@link #status()} is the protocol's own name for it where
 * there is one (an NFS3ERR_*, MNT3ERR_*, or RPC status such as PROG_MISMATCH or AUTH_ERROR);
 * {@link #step()} is the write probe's step.
 */
public final class NfsProbeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as a check reports it. */
  public enum Reason {
    /** The host name does not resolve. */
    UNKNOWN_HOST,
    /** Nothing listens on the port. */
    REFUSED,
    /** The TCP connection was not established within the connect timeout. */
    CONNECT_TIMEOUT,
    /** No reply within the call timeout. */
    CALL_TIMEOUT,
    /** The server closed the connection before replying. */
    CLOSED,
    /** The portmapper has no port for the program, version and protocol. */
    NOT_REGISTERED,
    /** The call was accepted but not executed: PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR. */
    RPC_ERROR,
    /** The call was denied: AUTH_ERROR or RPC_MISMATCH. */
    RPC_DENIED,
    /** MOUNT answered with an MNT3ERR_* status. */
    MOUNT_STATUS,
    /** NFS answered with an NFS3ERR_* status. */
    NFS_STATUS,
    /** The server answered successfully but not as the probe requires (the file exists, the data read back differs). */
    UNEXPECTED,
    /** Any other I/O failure, including an undecodable reply. */
    IO
  }

  private final String address;
  private final String operation;
  private final Reason reason;
  private final String status;
  private final String words;
  private final WriteProbe.Step step;

  private NfsProbeException(String address, String operation, Reason reason, String status, String words,
      WriteProbe.Step step, Throwable cause) {
    super(address + ": " + (operation == null ? "" : operation + ": ") + words, cause);
    this.address = address;
    this.operation = operation;
    this.reason = reason;
    this.status = status;
    this.words = words;
    this.step = step;
  }

  /** A failure before any call: the host does not resolve, the connection cannot be made. */
  static NfsProbeException connection(RpcConnection.Endpoint endpoint, Reason reason, String words, Throwable cause) {
    return new NfsProbeException(endpoint.toString(), null, reason, null, words, null, cause);
  }

  static NfsProbeException unknownHost(String host, int port, Throwable cause) {
    return new NfsProbeException((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port, null,
        Reason.UNKNOWN_HOST, null, "unknown host", null, cause);
  }

  /** A failed call; {@code status} is the protocol's name for the failure, or null. */
  static NfsProbeException call(RpcConnection.Endpoint endpoint, String operation, Reason reason, String status,
      String words, Throwable cause) {
    return new NfsProbeException(endpoint.toString(), operation, reason, status, words, null, cause);
  }

  /** The same failure, attributed to a step of the write probe. */
  NfsProbeException at(WriteProbe.Step at) {
    NfsProbeException copy = new NfsProbeException(address, operation, reason, status, words, at, getCause());
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  /** The {@code host:port} tried. */
  public String address() {
    return address;
  }

  /** The call that failed ({@code NFS v3 CREATE /nfs/probe.txt (GUARDED)}); empty for a connection failure. */
  public Optional<String> operation() {
    return Optional.ofNullable(operation);
  }

  public Reason reason() {
    return reason;
  }

  /** The protocol's name for the failure: {@code NFS3ERR_ROFS}, {@code MNT3ERR_ACCES}, {@code PROG_MISMATCH}, {@code AUTH_ERROR}, … */
  public Optional<String> status() {
    return Optional.ofNullable(status);
  }

  /** The server refused the credential or the access (AUTH_ERROR, MNT3ERR_ACCES, NFS3ERR_ACCES, NFS3ERR_PERM). */
  public boolean refusedAccess() {
    return status != null && Set.of("AUTH_ERROR", "MNT3ERR_ACCES", "NFS3ERR_ACCES", "NFS3ERR_PERM")
        .contains(status);
  }

  /** The write probe's step that failed; empty outside a write probe. */
  public Optional<WriteProbe.Step> step() {
    return Optional.ofNullable(step);
  }
}
