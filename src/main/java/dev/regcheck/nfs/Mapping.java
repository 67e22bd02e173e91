package dev.regcheck.nfs;

import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One registration the portmapper lists (RFC 1833 {@code struct mapping}), as {@code rpcinfo -p}
 * prints it.
 *
 * @param program the RPC program number (100003 NFS, 100005 MOUNT, 100000 the portmapper itself)
 * @param version the program version
 * @param protocol {@code tcp}, {@code udp}, or {@code proto-<n>} for any other IP protocol number
 * @param port the port the program listens on
 */
public record Mapping(long program, long version, String protocol, int port) {
  public static final long NFS = Nfs3.PROGRAM;
  public static final long MOUNT = Mount3.PROGRAM;

  /** The versions of {@code program} registered over {@code protocol} ({@code "tcp"}, {@code "udp"}). */
  public static SortedSet<Long> versions(Collection<Mapping> mappings, long program, String protocol) {
    SortedSet<Long> versions = new TreeSet<>();
    for (Mapping m : mappings) {
      if (m.program == program && m.protocol.equals(protocol)) {
        versions.add(m.version);
      }
    }
    return versions;
  }

  /** The port of {@code program} {@code version} over {@code protocol}, if registered. */
  public static Optional<Integer> port(Collection<Mapping> mappings, long program, long version, String protocol) {
    return mappings.stream()
        .filter(m -> m.program == program && m.version == version && m.protocol.equals(protocol))
        .map(Mapping::port).findFirst();
  }
}
