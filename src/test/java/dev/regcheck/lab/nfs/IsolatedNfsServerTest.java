package dev.regcheck.lab.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regcheck.nfs.Export;
import dev.regcheck.nfs.Mapping;
import dev.regcheck.nfs.NfsProbe;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two NFS servers side by side, each in a network namespace of its own, while the host's
 * 127.0.0.1:111 is taken: what lets many labs run on one machine, beside a host NFS server.
 */
class IsolatedNfsServerTest {

  @Test
  void twoIsolatedServersRunBesideAHostPortmapper(@TempDir Path dir) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/rpcbind")) && Files.isExecutable(Path.of("/usr/bin/ganesha.nfsd")),
        "rpcbind and nfs-ganesha are not installed");
    boolean runFilesBefore = Files.exists(Path.of("/run/rpcbind.sock"));
    ServerSocket hostPortmapper = null;
    if (NfsServer.listeners(111).isEmpty()) {
      hostPortmapper = new ServerSocket(111, 1, InetAddress.getByName("127.0.0.1"));
    }
    try (NetNs a = NetNs.create(41); NetNs b = NetNs.create(42)) {
      try (NfsServer one = NfsServer.startIsolated(dir.resolve("one"), dir.resolve("one/export"),
              dir.resolve("one/export").toString(), NfsServer.Access.RW, a);
          NfsServer two = NfsServer.startIsolated(dir.resolve("two"), dir.resolve("two/export"),
              dir.resolve("two/export").toString(), NfsServer.Access.RW, b)) {
        for (NfsServer server : List.of(one, two)) {
          NfsProbe probe = new NfsProbe(server.host(), Duration.ofSeconds(2), Duration.ofSeconds(2));
          List<Mapping> dump = probe.portmapDump();
          assertThat(Mapping.versions(dump, Mapping.NFS, "tcp")).as(server.host()).contains(3L, 4L);
          assertThat(Mapping.versions(dump, Mapping.MOUNT, "tcp")).as(server.host()).contains(3L);
          assertThat(probe.exports()).extracting(Export::path).containsExactly(server.exportPath());
          assertThat(server.childPids()).hasSize(2);
        }
        assertThat(one.host()).isNotEqualTo(two.host()).startsWith("169.254.");
      }
    } finally {
      if (hostPortmapper != null) {
        hostPortmapper.close();
      }
    }
    // nothing left: no namespace, no link, no rpcbind files in the host's /run
    assertThat(Commands.run("ip", "netns", "list").output()).doesNotContain("regcheck-41").doesNotContain("regcheck-42");
    assertThat(Commands.run("ip", "link", "show").output()).doesNotContain("rc41h").doesNotContain("rc42h");
    assertThat(Files.exists(Path.of("/run/rpcbind.sock"))).isEqualTo(runFilesBefore);
  }
}
