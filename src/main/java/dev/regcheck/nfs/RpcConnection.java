package dev.regcheck.nfs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dcache.oncrpc4j.rpc.OncRpcAcceptedException;
import org.dcache.oncrpc4j.rpc.OncRpcClient;
import org.dcache.oncrpc4j.rpc.OncRpcRejectedException;
import org.dcache.oncrpc4j.rpc.RpcAuth;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeNone;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeUnix;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcTransport;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/**
 * One ONC RPC connection over TCP to one server port, on oncrpc4j's {@link OncRpcClient}: every
 * failure becomes an {@link NfsProbeException} naming the address and the operation. Both timeouts
 * are always passed to the library (its defaults wait forever). {@link #close()} stops the client's
 * Grizzly transport, its worker and its reply-timeout threads.
 */
final class RpcConnection implements AutoCloseable {
  /** Grizzly's selector and worker threads carry this name. */
  static final String SERVICE_NAME = "regcheck-nfs";

  /** The credentials the probes use, and how messages name them. */
  enum Credential {
    NONE("AUTH_NONE"),
    /** The write probe's: AUTH_SYS uid 0, gid 0. */
    ROOT("AUTH_SYS uid 0 gid 0");

    private final String label;

    Credential(String label) {
      this.label = label;
    }

    RpcAuth auth() {
      return switch (this) {
        case NONE -> new RpcAuthTypeNone();
        // RpcAuthTypeUnix sizes the machine name with String.length(): it must stay ASCII.
        case ROOT -> new RpcAuthTypeUnix(0, 0, new int[] {0}, (int) (System.currentTimeMillis() / 1000), "regcheck");
      };
    }
  }

  /** A remote procedure: program, version, procedure number and how messages name it. */
  record Procedure(int program, int version, int number, String name) {}

  /** The arguments of a call: encode only. */
  @FunctionalInterface
  interface Args extends XdrAble {
    Args VOID = xdr -> { };

    @Override
    void xdrEncode(XdrEncodingStream xdr);

    @Override
    default void xdrDecode(XdrDecodingStream xdr) {
      throw new UnsupportedOperationException("call arguments are never decoded");
    }
  }

  /** Reads a reply body into a value. */
  @FunctionalInterface
  interface Reader<T> {
    Reader<Void> VOID = xdr -> null;

    T read(XdrDecodingStream xdr) throws IOException;
  }

  private final Endpoint endpoint;
  private final OncRpcClient client;
  private final RpcTransport transport;
  private final Duration callTimeout;

  private RpcConnection(Endpoint endpoint, OncRpcClient client, RpcTransport transport, Duration callTimeout) {
    this.endpoint = endpoint;
    this.client = client;
    this.transport = transport;
    this.callTimeout = callTimeout;
  }

  /**
   * Whether this process may bind a privileged (reserved, below 1024) source port: root may. The
   * kernel NFS server's default export option {@code secure} (ganesha's {@code PrivilegedPort})
   * refuses requests from other ports, and the kubelet, which mounts as root, sends from one.
   */
  static final boolean PRIVILEGED = privileged();

  private static boolean privileged() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The reserved ports mount.nfs takes its source port from (glibc's bindresvport: 600-1023). */
  private static final int RESERVED_LOW = 600;
  private static final int RESERVED_HIGH = 1023;
  private static final int RESERVED_TRIES = 64;

  /**
   * Connects within {@code connectTimeout}, from a privileged source port where this process may
   * bind one, as the kubelet's mounts do; a failed connect leaves no client running.
   */
  static RpcConnection open(Endpoint endpoint, Duration connectTimeout, Duration callTimeout)
      throws NfsProbeException {
    if (!PRIVILEGED) {
      return open(endpoint, connectTimeout, callTimeout, 0);
    }
    int start = RESERVED_LOW + ThreadLocalRandom.current().nextInt(RESERVED_HIGH - RESERVED_LOW + 1);
    NfsProbeException last = null;
    for (int i = 0; i < RESERVED_TRIES; i++) {
      int port = RESERVED_LOW + Math.floorMod(start - RESERVED_LOW - i, RESERVED_HIGH - RESERVED_LOW + 1);
      try {
        return open(endpoint, connectTimeout, callTimeout, port);
      } catch (NfsProbeException e) {
        if (!(e.getCause() instanceof BindException) && !String.valueOf(e.getMessage()).contains("in use")) {
          throw e;
        }
        last = e; // that reserved port is taken (or still in TIME_WAIT): the next one
      }
    }
    throw last;
  }

  private static RpcConnection open(Endpoint endpoint, Duration connectTimeout, Duration callTimeout, int localPort)
      throws NfsProbeException {
    OncRpcClient.OncRpcClientBuilder builder = OncRpcClient.newBuilder()
        .withTCP()
        .withConnectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .withServiceName(SERVICE_NAME);
    if (localPort > 0) {
      builder.withLocalPort(localPort);
    }
    OncRpcClient client = builder.build(endpoint.socketAddress());
    try {
      // connect() starts the client's service and stops it again itself when the connect fails
      return new RpcConnection(endpoint, client, client.connect(), callTimeout);
    } catch (ConnectException e) {
      boolean refused = e.getMessage() == null || e.getMessage().contains("refused");
      throw NfsProbeException.connection(endpoint, refused ? NfsProbeException.Reason.REFUSED : NfsProbeException.Reason.IO,
          refused ? "connection refused" : e.getMessage(), e);
    } catch (SocketException e) {
      throw NfsProbeException.connection(endpoint, NfsProbeException.Reason.IO, "cannot connect: " + e.getMessage(), e);
    } catch (IOException e) {
      if (e.getCause() instanceof TimeoutException) {
        throw NfsProbeException.connection(endpoint, NfsProbeException.Reason.CONNECT_TIMEOUT,
            "connect timed out after " + connectTimeout.toMillis() + " ms", e);
      }
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw NfsProbeException.connection(endpoint, NfsProbeException.Reason.IO, "interrupted while connecting", e);
      }
      throw NfsProbeException.connection(endpoint, NfsProbeException.Reason.IO, "cannot connect: " + e, e);
    }
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** The local port this connection sends from, or "?" when the transport does not say. */
  String sourcePort() {
    try {
      InetSocketAddress local = transport.getLocalSocketAddress();
      return local == null ? "?" : String.valueOf(local.getPort());
    } catch (RuntimeException e) {
      return "?";
    }
  }

  /**
   * Calls {@code procedure} and reads its reply within the call timeout.
   *
   * @param subject what the call is about, appended to the procedure's name in messages ("" for none)
   */
  <T> T call(Procedure procedure, String subject, Args args, Reader<T> reader, Credential credential)
      throws NfsProbeException {
    String operation = subject.isEmpty() ? procedure.name() : procedure.name() + " " + subject;
    Reply<T> reply = new Reply<>(reader);
    RpcCall call = new RpcCall(procedure.program(), procedure.version(), credential.auth(), transport);
    try {
      call.call(procedure.number(), args, reply, callTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return reply.value;
    } catch (TimeoutException e) {
      throw NfsProbeException.call(endpoint, operation, NfsProbeException.Reason.CALL_TIMEOUT, null,
          "timed out after " + callTimeout.toMillis() + " ms waiting for the reply", e);
    } catch (OncRpcAcceptedException e) {
      String status = "SYSTEM".equals(e.getMessage()) ? "SYSTEM_ERR" : e.getMessage();
      throw NfsProbeException.call(endpoint, operation, NfsProbeException.Reason.RPC_ERROR, status,
          status + ", " + acceptedWords(status, procedure), e);
    } catch (OncRpcRejectedException e) {
      String status = e.getMessage();
      String words = "AUTH_ERROR".equals(status) ? "the server rejected the " + credential.label + " credential"
          + (PRIVILEGED ? "" : " sent from unprivileged source port " + sourcePort() + " (an export that requires a "
              + "privileged port, the kernel's default secure or ganesha's PrivilegedPort, refuses those; only root "
              + "can bind one)")
          : "the server does not accept ONC RPC version 2";
      throw NfsProbeException.call(endpoint, operation, NfsProbeException.Reason.RPC_DENIED, status,
          status + ", " + words, e);
    } catch (EOFException e) {
      throw NfsProbeException.call(endpoint, operation, NfsProbeException.Reason.CLOSED, null,
          "the server closed the connection before replying", e);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw NfsProbeException.call(endpoint, operation, NfsProbeException.Reason.IO, null, "interrupted", e);
    } catch (IOException e) {
      throw NfsProbeException.call(endpoint, operation, NfsProbeException.Reason.IO, null, e.toString(), e);
    }
  }

  private static String acceptedWords(String status, Procedure p) {
    return switch (status) {
      case "PROG_UNAVAIL" -> "program " + p.program() + " is not served on this port";
      case "PROG_MISMATCH" -> "version " + p.version() + " of program " + p.program() + " is not served";
      case "PROC_UNAVAIL" -> "procedure " + p.number() + " is not supported";
      case "GARBAGE_ARGS" -> "the server could not decode the arguments";
      case "SYSTEM_ERR" -> "the server failed internally";
      default -> "the server did not execute the call";
    };
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // Stopping a client-mode service only shuts its transport and executors down: it does not
      // throw in oncrpc4j 3.4.2, and nothing is left for the probe to do if it did.
    }
  }

  /** Adapts a {@link Reader} to the library's result type. */
  private static final class Reply<T> implements XdrAble {
    private final Reader<T> reader;
    private T value;

    Reply(Reader<T> reader) {
      this.reader = reader;
    }

    @Override
    public void xdrDecode(XdrDecodingStream xdr) throws IOException {
      value = reader.read(xdr);
    }

    @Override
    public void xdrEncode(XdrEncodingStream xdr) {
      throw new UnsupportedOperationException("replies are never encoded");
    }
  }

  /** Where a connection goes: the host as the caller named it, its address, and the port. */
  record Endpoint(String host, InetSocketAddress socketAddress) {
    int port() {
      return socketAddress.getPort();
    }

    /** {@code host:port}, an IPv6 literal in brackets. */
    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port();
    }
  }
}
