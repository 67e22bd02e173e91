package dev.regcheck.lab.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regcheck.nfs.Export;
import dev.regcheck.nfs.Mapping;
import dev.regcheck.nfs.NfsProbe;
import dev.regcheck.nfs.WriteProbe;
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
    List<String> names;
    if (NfsServer.listeners(111).isEmpty()) {
      hostPortmapper = new ServerSocket(111, 1, InetAddress.getByName("127.0.0.1"));
    }
    boolean nfsBefore = Files.exists(Path.of("/nfs"));
    try (NetNs b = NetNs.createFree()) {
      NetNs a = NetNs.createFree();
      // both export their own folder as /nfs, as two labs of one sandbox profile do
      NfsServer one = NfsServer.startIsolated(dir.resolve("one"), dir.resolve("one/export"), "/nfs",
          NfsServer.Access.RW, a);
      try (NfsServer two = NfsServer.startIsolated(dir.resolve("two"), dir.resolve("two/export"), "/nfs",
              NfsServer.Access.RW, b)) {
        for (NfsServer server : List.of(one, two)) {
          NfsProbe probe = new NfsProbe(server.host(), Duration.ofSeconds(2), Duration.ofSeconds(2));
          List<Mapping> dump = probe.portmapDump();
          assertThat(Mapping.versions(dump, Mapping.NFS, "tcp")).as(server.host()).contains(3L, 4L);
          assertThat(Mapping.versions(dump, Mapping.MOUNT, "tcp")).as(server.host()).contains(3L);
          assertThat(probe.exports()).extracting(Export::path).containsExactly(server.exportPath());
          assertThat(server.childPids()).hasSize(2);
        }
        assertThat(one.host()).isNotEqualTo(two.host()).startsWith("169.254.");
        assertThat(a.name()).isNotEqualTo(b.name());
        // each mounts its own folder: a file written through one is not seen through the other
        NfsProbe first = new NfsProbe(one.host(), Duration.ofSeconds(2), Duration.ofSeconds(2));
        Files.writeString(dir.resolve("one/export/only-in-one"), "1");
        assertThat(first.exports()).extracting(Export::path).containsExactly("/nfs");
        assertThat(Files.exists(dir.resolve("two/export/only-in-one"))).isFalse();
        // MOUNT v3 of /nfs reaches the lab's folder: the probe's file lands there while it runs
        List<Boolean> seen = new java.util.ArrayList<>();
        WriteProbe written = first.writeProbe("/nfs", "probe", "x".getBytes(),
            path -> seen.add(Files.exists(dir.resolve("one/export/probe"))));
        assertThat(written.succeeded()).as(written.steps().toString()).isTrue();
        assertThat(seen).containsExactly(true);
        // stopping one lab's server and namespace leaves the other's serving
        one.close();
        a.close();
        assertThat(NetNs.labNamespaces()).doesNotContain(a.name()).contains(b.name());
        NfsProbe second = new NfsProbe(two.host(), Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(second.exports()).extracting(Export::path).containsExactly("/nfs");
        assertThat(two.childPids()).hasSize(2);
      } finally {
        one.close();
        a.close();
      }
      names = List.of(a.name(), b.name());
    } finally {
      if (hostPortmapper != null) {
        hostPortmapper.close();
      }
    }
    // nothing left: no namespace, no link, no rpcbind files in the host's /run, no mount point
    assertThat(NetNs.labNamespaces()).doesNotContainAnyElementsOf(names);
    assertThat(Commands.run("ip", "link", "show").output())
        .doesNotContain(names.get(0).replace("regcheck-", "rc") + "h").doesNotContain(names.get(1).replace("regcheck-", "rc") + "h");
    assertThat(Files.exists(Path.of("/nfs"))).isEqualTo(nfsBefore);
    assertThat(Files.exists(Path.of("/run/rpcbind.sock"))).isEqualTo(runFilesBefore);
  }
}
