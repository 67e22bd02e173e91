package dev.regcheck.assertions;

import dev.regcheck.nfs.Export;
import dev.regcheck.nfs.ExportCoverage;
import dev.regcheck.nfs.Mapping;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * Assertions on what an NFS server answers (S02): the portmapper's registrations
 * ({@code rpcinfo -p}) and the MOUNT export list ({@code showmount -e}). {@code server} and
 * {@code source} name what was asked and why (e.g. "from PV internal-registry"); the answers are
 * the evidence, rendered as the tools print them.
 */
public final class NfsExportAssert {
  private final String server;
  private final String source;

  NfsExportAssert(String server, String source) {
    this.server = server;
    this.source = source;
  }

  /** The portmapper lists NFS (100003) and MOUNT (100005) over TCP. */
  public NfsExportAssert listsNfsAndMountOverTcp(List<Mapping> mappings) {
    SortedSet<Long> nfs = Mapping.versions(mappings, Mapping.NFS, "tcp");
    SortedSet<Long> mount = Mapping.versions(mappings, Mapping.MOUNT, "tcp");
    if (nfs.isEmpty() || mount.isEmpty()) {
      throw new CheckFailure("the portmapper on " + server + " (from " + source + ") lists "
          + (nfs.isEmpty() ? "no NFS (100003)" : "NFS v" + join(nfs))
          + (mount.isEmpty() ? " and no MOUNT (100005)" : ", MOUNT v" + join(mount)) + " over tcp",
          List.of(new CheckFailure.Evidence("rpcinfo-p.txt", rpcinfo(mappings))));
    }
    return this;
  }

  /**
   * The export list holds {@code path} (a trailing slash aside) for hosts that cover every node
   * ({@code nodes}: node name → its addresses); {@code target} names server and path in messages.
   */
  public NfsExportAssert exportsToEveryNode(List<Export> exports, String path, String target,
      Map<String, List<String>> nodes) {
    String seen = seen(exports);
    List<Export> ours = exports.stream().filter(e -> samePath(e.path(), path)).toList();
    if (ours.isEmpty()) {
      throw new CheckFailure(server + " does not export " + path + " (from " + source + "); " + seen,
          List.of(new CheckFailure.Evidence("showmount-e.txt", showmount(exports))));
    }
    if (ours.stream().noneMatch(e -> ExportCoverage.coversAll(e, nodes))) {
      throw new CheckFailure(target + " is exported only to " + ours.stream().flatMap(e -> e.groups().stream())
          .collect(Collectors.joining(",")) + ", which does not cover the nodes " + nodes + "; " + seen,
          List.of(new CheckFailure.Evidence("showmount-e.txt", showmount(exports))));
    }
    return this;
  }

  /** The export list as one line: "exports seen: /nfs *; /other 10.0.0.0/24", or "nothing is exported". */
  public static String seen(List<Export> exports) {
    return exports.isEmpty() ? "nothing is exported" : "exports seen: " + exports.stream()
        .map(e -> e.path() + " " + (e.groups().isEmpty() ? "(everyone)" : String.join(",", e.groups())))
        .collect(Collectors.joining("; "));
  }

  /** "3,4". */
  public static String join(SortedSet<Long> versions) {
    return versions.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static boolean samePath(String a, String b) {
    return strip(a).equals(strip(b));
  }

  private static String strip(String p) {
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static String rpcinfo(List<Mapping> mappings) {
    return mappings.stream().map(m -> m.program() + "\t" + m.version() + "\t" + m.protocol() + "\t" + m.port())
        .collect(Collectors.joining("\n", "program\tvers\tproto\tport\n", "\n"));
  }

  private static String showmount(List<Export> exports) {
    return exports.stream().map(e -> e.path() + " " + String.join(",", e.groups()))
        .collect(Collectors.joining("\n", "Export list:\n", "\n"));
  }
}
