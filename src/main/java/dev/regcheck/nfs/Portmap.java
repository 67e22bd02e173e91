package dev.regcheck.nfs;

import dev.regcheck.nfs.RpcConnection.Args;
import dev.regcheck.nfs.RpcConnection.Procedure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;

/** The portmapper, PMAP version 2 (RFC 1833 section 3): program 100000, the procedures the probes call. */
final class Portmap {
  static final int PROGRAM = 100000;
  static final int VERSION = 2;
  static final int IPPROTO_TCP = 6;
  static final int IPPROTO_UDP = 17;

  static final Procedure GETPORT = new Procedure(PROGRAM, VERSION, 3, "portmapper v2 GETPORT");
  static final Procedure DUMP = new Procedure(PROGRAM, VERSION, 4, "portmapper v2 DUMP");

  private Portmap() {}

  /** GETPORT's argument: {@code struct mapping { prog; vers; prot; port; }}, the port ignored. */
  static Args getPortArgs(int program, int version, int protocol) {
    return xdr -> {
      xdr.xdrEncodeInt(program);
      xdr.xdrEncodeInt(version);
      xdr.xdrEncodeInt(protocol);
      xdr.xdrEncodeInt(0);
    };
  }

  /** GETPORT's result: {@code unsigned int port}, 0 when the program is not registered. */
  static int readPort(XdrDecodingStream xdr) throws IOException {
    return xdr.xdrDecodeInt();
  }

  /** DUMP's result: {@code pmaplist = *struct { mapping map; pmaplist next; }}. */
  static List<Mapping> readDump(XdrDecodingStream xdr) throws IOException {
    List<Mapping> mappings = new ArrayList<>();
    while (xdr.xdrDecodeBoolean()) {
      long program = Integer.toUnsignedLong(xdr.xdrDecodeInt());
      long version = Integer.toUnsignedLong(xdr.xdrDecodeInt());
      int protocol = xdr.xdrDecodeInt();
      int port = xdr.xdrDecodeInt();
      mappings.add(new Mapping(program, version, protocolName(protocol), port));
    }
    return List.copyOf(mappings);
  }

  static String protocolName(int protocol) {
    return switch (protocol) {
      case IPPROTO_TCP -> "tcp";
      case IPPROTO_UDP -> "udp";
      default -> "proto-" + protocol;
    };
  }
}
