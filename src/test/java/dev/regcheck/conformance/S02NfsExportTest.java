package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThatNfsServer;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.NfsExportStep;
import dev.regcheck.fixture.NfsExportStep.Target;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.nfs.Export;
import dev.regcheck.nfs.Mapping;
import dev.regcheck.nfs.NfsProbe;
import dev.regcheck.nfs.NfsProbeException;
import dev.regcheck.nfs.NullReply;
import dev.regcheck.nfs.WriteProbe;
import dev.regcheck.session.Mode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.UUID;
import org.opentest4j.TestAbortedException;
import dev.regcheck.assertions.NfsExportAssert;

/**
 * S02: the NFS export, as the content host serves it — the harness speaks ONC RPC to the server
 * the PV names: the portmapper's registrations ({@code rpcinfo -p}), the export list
 * ({@code showmount -e}), the NULL procedure per NFS version, and a write probe.
 */
@Conformance(Step.S02)
class S02NfsExportTest {

  @Check("S02.1")
  void portmapperListsNfsAndMount(NfsExportStep step, RunSession lab) {
    step.skipWhereTheLabHasNoServer();
    Target target = step.target();
    List<Mapping> mappings = call(target, "portmapper DUMP", () -> step.probe(target).portmapDump());
    assertThatNfsServer(target.server(), target.source()).listsNfsAndMountOverTcp(mappings);
    SortedSet<Long> nfs = Mapping.versions(mappings, Mapping.NFS, "tcp");
    SortedSet<Long> mount = Mapping.versions(mappings, Mapping.MOUNT, "tcp");
    lab.note("NFS v" + NfsExportAssert.join(nfs) + ", MOUNT v" + NfsExportAssert.join(mount) + " over tcp on " + target.server()
        + " (from " + target.source() + ")");
  }

  @Check("S02.2")
  void pathIsExportedToTheCluster(NfsExportStep step, RunSession lab) {
    step.skipWhereTheLabHasNoServer();
    Target target = step.target();
    List<Export> exports = call(target, "MOUNT EXPORT", () -> step.probe(target).exports());
    assertThatNfsServer(target.server(), target.source())
        .exportsToEveryNode(exports, target.path(), target.toString(), step.nodes());
    lab.note(NfsExportAssert.seen(exports));
  }

  @Check("S02.3")
  void nfsAnswersNull(NfsExportStep step, RunSession lab) {
    step.skipWhereTheLabHasNoServer();
    Target target = step.target();
    List<String> answered = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int version : new int[] {3, 4}) {
      try {
        NullReply reply = step.probe(target).nullCall(version);
        answered.add("v" + version + " (" + reply.address() + ", " + reply.roundTrip().toMillis() + " ms)");
      } catch (NfsProbeException e) {
        failures.add(e.getMessage());
      }
    }
    if (answered.isEmpty()) {
      throw new CheckFailure("NFS on " + target.server() + " answers NULL for neither v3 nor v4: "
          + String.join("; ", failures));
    }
    lab.note("NULL answered for " + String.join(", ", answered)
        + (failures.isEmpty() ? "" : "; not for: " + String.join("; ", failures)));
  }

  @Check("S02.4")
  void writeProbe(NfsExportStep step, RunSession lab) {
    if (lab.mode() == Mode.AUDIT) {
      throw new TestAbortedException("audit mode writes nothing: the write probe runs in verify and apply modes");
    }
    step.skipWhereTheLabHasNoServer();
    Target target = step.target();
    String name = "regcheck-probe-" + UUID.randomUUID() + ".txt";
    byte[] content = ("regcheck S02.4 write probe " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
    WriteProbe probe = step.probe(target).writeProbe(target.path(), name, content);
    if (!probe.succeeded()) {
      NfsProbeException failure = probe.failure().orElseThrow();
      if (!NfsProbe.privilegedSourcePort() && failure.refusedAccess()) {
        // an export that requires a privileged port (the kernel's default, secure) refuses a non-root probe:
        // that says nothing of the export the kubelet, root, will mount
        throw new TestAbortedException("the export refused this run's probe (" + failure.getMessage() + "); this "
            + "run is not root, so it sends from an unprivileged source port, which an export requiring a privileged "
            + "one (the kernel's default secure, ganesha's PrivilegedPort) refuses: run regcheck as root to probe "
            + "writes as the kubelet (root) mounts");
      }
      throw new CheckFailure("the write probe on " + target + " failed at " + failure.step().map(Enum::name)
          .orElse("?") + ": " + failure.getMessage(), List.of(new CheckFailure.Evidence("write-probe.txt",
          probe.toString())));
    }
    lab.note("created, wrote, read back and removed " + probe.path() + " (" + content.length + " bytes)");
  }

  /** One probe call; its failure is the check's, with the address tried. */
  private static <T> T call(Target target, String what, ProbeCall<T> call) {
    try {
      return call.call();
    } catch (NfsProbeException e) {
      throw new CheckFailure(what + " of " + target.server() + " (from " + target.source() + ") failed: "
          + e.getMessage());
    }
  }

  @FunctionalInterface
  private interface ProbeCall<T> {
    T call() throws NfsProbeException;
  }

}
