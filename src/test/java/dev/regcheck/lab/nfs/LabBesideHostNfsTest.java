package dev.regcheck.lab.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.nfs.Export;
import dev.regcheck.nfs.Mapping;
import dev.regcheck.nfs.NfsProbe;
import dev.regcheck.nfs.WriteProbe;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab on a machine that serves NFS itself: with the host's own rpcbind and ganesha on
 * 127.0.0.1:111/2049/20048, a lab starts, its NFS server answers at the lab's address with the lab's
 * folder, and the host's keeps serving its own export throughout.
 */
@EmbeddedLabTest(classLab = false)
class LabBesideHostNfsTest {

  @Test
  void aLabStartsWhileTheHostsRpcbindListensOn111(@TempDir Path dir, TestLabs labs) throws Exception {
    assumeTrue(LabNfs.unavailableReason().isEmpty(), () -> LabNfs.unavailableReason().orElse(""));
    assumeTrue(NfsServer.unavailableReason().isEmpty(), () -> "no host NFS server can run here: "
        + NfsServer.unavailableReason().orElse(""));
    Path hostExport = dir.resolve("host-export");
    try (NfsServer host = NfsServer.start(dir.resolve("host-nfs"), hostExport, hostExport.toString(), NfsServer.Access.RW)) {
      assertThat(NfsServer.listeners(111)).as("the host's rpcbind").isNotEmpty();
      EmbeddedLab lab = labs.start();
      assertThat(lab.nfsUnavailable()).as("the lab's NFS server").isEmpty();
      String address = lab.profileOverrides().get("nfs.server");
      assertThat(address).as("the lab's nfs.server").startsWith("169.254.").endsWith(".2");

      NfsProbe labProbe = new NfsProbe(address, Duration.ofSeconds(2), Duration.ofSeconds(2));
      assertThat(Mapping.versions(labProbe.portmapDump(), Mapping.MOUNT, "tcp")).contains(3L);
      assertThat(labProbe.exports()).extracting(Export::path).containsExactly("/nfs");
      Path inLab = lab.kubeconfig().getParent().resolve("nfs/beside-host");
      List<Boolean> seen = new ArrayList<>();
      WriteProbe written = labProbe.writeProbe("/nfs", "beside-host", "x".getBytes(),
          path -> seen.add(Files.exists(inLab) && !Files.exists(hostExport.resolve("beside-host"))));
      assertThat(written.succeeded()).as(written.steps().toString()).isTrue();
      assertThat(seen).as("the file landed in the lab's folder, not the host's export").containsExactly(true);

      NfsProbe hostProbe = new NfsProbe("127.0.0.1", Duration.ofSeconds(2), Duration.ofSeconds(2));
      assertThat(hostProbe.exports()).extracting(Export::path).containsExactly(hostExport.toString());
    }
  }
}
