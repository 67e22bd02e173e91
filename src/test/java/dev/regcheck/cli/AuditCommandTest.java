package dev.regcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit --snapshot}: the checks, unchanged, against a capture served read-only. A kind the
 * capture holds whole proves absence (FAIL); a kind it did not collect proves nothing ("not in the
 * capture", SKIP); what needs a live cluster SKIPs saying so; bad input is one line and exit 2.
 */
class AuditCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  PrintStream oldErr;
  PrintStream oldOut;

  @BeforeEach
  void capture() {
    oldErr = System.err;
    oldOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(oldErr);
    System.setOut(oldOut);
  }

  @Test
  void judgesWhatTheCaptureHoldsAndSkipsWhatItDoesNot() throws Exception {
    Path top = dir.resolve("must-gather.local.1");
    Path data = top.resolve("quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-" + "cd".repeat(32));
    write(top.resolve("timestamp"), "2026-11-30 08:00:00.5 +0000 UTC m=+0.2\n");
    write(data.resolve("cluster-scoped-resources/imageregistry.operator.openshift.io/configs/cluster.yaml"), """
        ---
        apiVersion: imageregistry.operator.openshift.io/v1
        kind: Config
        metadata: {name: cluster, resourceVersion: "812"}
        spec:
          managementState: Removed
          replicas: 1
        status:
          conditions:
          - {type: Available, status: "True", reason: Removed, message: The registry is removed}
        """);
    // the namespace's claims were collected, and there are none: absent from the cluster
    write(data.resolve("namespaces/openshift-image-registry/core/persistentvolumeclaims.yaml"),
        "---\napiVersion: v1\nkind: PersistentVolumeClaimList\nitems: []\nmetadata: {resourceVersion: \"900\"}\n");
    Path reports = dir.resolve("reports");
    int exit = Main.execute("audit", "--snapshot", top.toString(), "--lab", "sandbox", "--lang", "zh",
        "--report-dir", reports.toString());
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed + err).isEqualTo(1);
    assertThat(printed).contains("auditing must-gather " + top, "snapshot.captured 2026-11-30T08:00:00Z");
    Map<String, JsonNode> checks = summary(reports);
    JsonNode snapshot = root(reports).path("snapshot");
    assertThat(snapshot.path("snapshot.kind").asText()).isEqualTo("must-gather");
    assertThat(snapshot.path("snapshot.path").asText()).isEqualTo(top.toString());
    assertThat(snapshot.path("snapshot.captured").asText()).isEqualTo("2026-11-30T08:00:00Z");
    // judged from the capture, as a live audit judges the cluster
    assertThat(checks.get("S01.1").path("status").asText()).isEqualTo("FAIL");
    assertThat(checks.get("S01.1").path("messageEn").asText()).contains("Removed");
    assertThat(checks.get("S04.1").path("status").asText()).isEqualTo("FAIL");
    // never collected: no verdict either way
    assertThat(checks.get("S03.1").path("status").asText()).isEqualTo("SKIP");
    assertThat(checks.get("S03.1").path("messageEn").asText()).startsWith("not in the capture: persistentvolumes");
    // a capture holds no handshake, login or push
    for (String live : new String[] {"S02.1", "S05.4", "S08.3", "S08.7", "S10.3", "S12.2"}) {
      assertThat(checks.get(live).path("status").asText()).as(live).isEqualTo("SKIP");
      assertThat(checks.get(live).path("messageEn").asText()).as(live).startsWith("needs a live cluster: ");
    }
    // in Chinese, as a class reads it: what the capture lacks and what needs a live cluster too
    checks.forEach((id, c) -> {
      if (!c.path("status").asText().equals("PASS")) {
        assertThat(c.path("message").asText()).as(id).containsPattern("[\\u4e00-\\u9fff]");
        assertThat(dev.regcheck.catalog.Messages.gaps(c.path("messageEn").asText())).as(id).isEmpty();
      }
    });
    assertThat(checks.get("S03.1").path("message").asText()).startsWith("采集中没有：");
    // nothing of the audit is left behind but its report
    try (Stream<Path> left = Files.list(Home.state())) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("audit-"));
    }
  }

  @Test
  void realCaptureOfARemovedRegistry() throws Exception {
    Path sno = Path.of("../shared/captures/resourcewatch-sno-4.13-platform-none/v2-ci-state-removed-settled");
    assumeTrue(Files.isDirectory(sno), "the real captures are not in this checkout (" + sno + ")");
    Path reports = dir.resolve("reports");
    Main.execute("audit", "--snapshot", sno.toString(), "--lang", "en", "--report-dir", reports.toString());
    Map<String, JsonNode> checks = summary(reports);
    // the watch that made this capture kept the ClusterOperator but not the registry's Config, PV or claim: the
    // operator reports Available=True with reason Removed, which says nothing of the procedure's objects, so no
    // check may FAIL on what was never collected
    assertThat(checks.values()).allSatisfy(c -> assertThat(c.path("status").asText()).isIn("SKIP", "BLOCKED", "PASS"));
    assertThat(checks.get("S01.1").path("message").asText()).isEqualTo("not in the capture: configs \"cluster\"");
  }

  @Test
  void realInsightsArchives() throws Exception {
    Path samples = Path.of("../shared/captures");
    assumeTrue(Files.isDirectory(samples.resolve("insights-operator-sample-4.7.16")),
        "the real captures are not in this checkout (" + samples + ")");

    // 4.7.16: the registry Managed on emptyDir, the operator settled. Against this procedure (an NFS claim) the
    // storage is wrong, and nothing else of it can be: S05.1 FAILs naming emptyDir; the config and the CO are
    // judged (PASS); Insights keeps only the PV bound to the registry's claim, and emptyDir has none, so the
    // procedure's PV is "not in the capture", not absent; the image config gives the internal hostname (PASS)
    Map<String, JsonNode> c47 = audit(samples.resolve("insights-operator-sample-4.7.16"));
    assertThat(status(c47, "S01.1")).isEqualTo("PASS");
    assertThat(status(c47, "S05.1")).isEqualTo("FAIL");
    assertThat(c47.get("S05.1").path("message").asText()).contains("spec.storage uses emptyDir");
    assertThat(status(c47, "S05.3")).isEqualTo("PASS");
    assertThat(status(c47, "S08.2")).isEqualTo("PASS");
    assertThat(c47.get("S03.1").path("message").asText()).startsWith("not in the capture: persistentvolumes");

    // 4.4.16: GCS storage, defaultRoute false, spec.storage.managementState unset (old operators leave it so).
    // The unset field must not FAIL S07.1 on its own: S07.1 is BLOCKED by S05.1, whose GCS is the real reason
    Map<String, JsonNode> c44 = audit(samples.resolve("insights-operator-sample-4.4.16"));
    assertThat(status(c44, "S01.1")).isEqualTo("PASS");
    assertThat(c44.get("S05.1").path("message").asText()).contains("spec.storage uses gcs");
    assertThat(status(c44, "S07.1")).isEqualTo("BLOCKED");
    assertThat(c44.get("S07.1").path("message").asText()).contains("blocked by S05.1");
    assertThat(status(c44, "S10.1")).isEqualTo("FAIL");
    assertThat(c44.get("S10.1").path("message").asText()).contains("spec.defaultRoute is false");

    // Nov 2020 sample: GCS credentials missing (Progressing=True reason Error); the archive holds the config and
    // pruner only, so the operator's settling cannot be judged ("not in the capture"), never guessed
    Map<String, JsonNode> gcs = audit(samples.resolve("insights-operator-sample-2020-11-gcs-sync-error"));
    assertThat(gcs.get("S05.1").path("message").asText()).contains("spec.storage uses gcs");
    assertThat(status(gcs, "S05.3")).isEqualTo("SKIP");
    assertThat(gcs.get("S05.3").path("message").asText()).isEqualTo("not in the capture: clusteroperators \"image-registry\"");
    for (Map<String, JsonNode> checks : List.of(c47, c44, gcs)) {
      // what an archive never holds is never a FAIL
      assertThat(status(checks, "S04.1")).isEqualTo("SKIP");
      assertThat(status(checks, "S06.1")).isEqualTo("SKIP");
    }
  }

  @Test
  void realOkdInstallOverTime() throws Exception {
    Path okd = Path.of("../shared/captures/resourcewatch-3nodes-okd-4.12-gcp");
    assumeTrue(Files.isDirectory(okd), "the real captures are not in this checkout (" + okd + ")");
    // A resource watch of an OKD 4.12 install on GCP (3 masters, 3 workers): the ClusterOperator, the image config,
    // the registry's deployment, replica sets, pods, service and events (events.k8s.io) at four moments. It never
    // recorded the registry's Config, a PV, a claim or endpoints, and it is no must-gather (no List file, no
    // version file): nothing is held whole, so none of those may FAIL, whatever the state.
    Map<String, Map<String, JsonNode>> states = new LinkedHashMap<>();
    for (String state : List.of("state1-progressing-NoReplicasAvailable", "state2-degraded-Unavailable-pods-pending",
        "state3-deployment-2-replicas-1-ready", "state4-healthy-Ready")) {
      Map<String, JsonNode> checks = audit(okd.resolve(state));
      states.put(state, checks);
      assertThat(message(checks, "S01.1")).isEqualTo("not in the capture: configs \"cluster\"");
      assertThat(message(checks, "S03.1")).isEqualTo("not in the capture: persistentvolumes \"internal-registry\"");
      assertThat(message(checks, "S04.1")).startsWith("not in the capture: persistentvolumeclaims \"internal-registry-pvc\"");
      assertThat(message(checks, "S08.1")).startsWith("not in the capture: endpoints \"image-registry\"");
      // the image config's status.internalRegistryHostname is the service's name and port from the start
      assertThat(status(checks, "S08.2")).as(state).isEqualTo("PASS");
      assertThat(checks.values()).as(state).noneMatch(c -> c.path("status").asText().equals("ERROR"));
    }
    // the registry's pods: state 1 holds none yet (the deployment exists, 2 replicas wanted); states 2-4 hold some (three
    // Pending and Unschedulable; two Running, one not Ready; two Running and Ready). A watch keeps the pods it saw
    // change, never proof that they are all there is, so a list of pods is refused ("not in the capture"), whatever
    // it would show: no check may pass, or count, on part of the pods (a FAIL on one Pending pod would be true, but
    // S06.1's PASS and its count need every pod, and a list that passes for all there is would make both)
    for (String id : List.of("S06.1", "S06.2", "S06.3")) {
      assertThat(message(states.get("state1-progressing-NoReplicasAvailable"), id)).as(id)
          .isEqualTo("not in the capture: pods in namespace openshift-image-registry");
      for (String state : List.of("state2-degraded-Unavailable-pods-pending", "state3-deployment-2-replicas-1-ready",
          "state4-healthy-Ready")) {
        assertThat(message(states.get(state), id)).as(state + " " + id)
            .isEqualTo("not in the capture: all the pods in namespace openshift-image-registry");
      }
    }
  }

  @Test
  void realSingleNodeRemovedRegistryOverTime() throws Exception {
    Path sno = Path.of("../shared/captures/resourcewatch-sno-4.13-platform-none");
    assumeTrue(Files.isDirectory(sno), "the real captures are not in this checkout (" + sno + ")");
    // Single node, platform None: the installer leaves the registry Removed. Being removed (state 1, the node-ca
    // daemon set going) and removed and settled (state 2: Available=True with reason Removed). The watch kept the
    // ClusterOperator, events and the operator's own objects, not the registry's Config or a deployment of the
    // registry; so the registry's absence cannot be concluded (deployments are not held whole) and nothing FAILs
    for (String state : List.of("master-ec4-state1-removing-NodeCANoAvailableReplicas", "master-ec4-state2-removed-settled")) {
      Map<String, JsonNode> checks = audit(sno.resolve(state));
      assertThat(checks.values()).as(state).allSatisfy(c -> assertThat(c.path("status").asText()).isIn("SKIP", "PASS"));
      assertThat(message(checks, "S06.1")).as(state)
          .isEqualTo("not in the capture: deployments \"image-registry\" in namespace openshift-image-registry");
      // S05.3 never reads Available=True (Removed) as settled: it is not judged at all without the config (S01.1)
      assertThat(message(checks, "S05.3")).as(state).startsWith("skipped because S01.1 was skipped");
    }
  }

  private static String message(Map<String, JsonNode> checks, String id) {
    return checks.get(id).path("message").asText();
  }

  private Map<String, JsonNode> audit(Path capture) throws IOException {
    Path reports = Files.createDirectories(dir.resolve("reports-" + capture.getFileName()));
    Main.execute("audit", "--snapshot", capture.toString(), "--lang", "en", "--report-dir", reports.toString());
    return summary(reports);
  }

  private static String status(Map<String, JsonNode> checks, String id) {
    return checks.get(id).path("status").asText();
  }

  @Test
  void badInputIsOneLine() {
    Path missing = dir.resolve("no-such-capture");
    assertThat(Main.execute("audit", "--snapshot", missing.toString())).isEqualTo(2);
    String text = err.toString(StandardCharsets.UTF_8).strip();
    assertThat(text.lines()).hasSize(1);
    assertThat(text).isEqualTo("regcheck: " + missing.toAbsolutePath() + ": no such file or folder");
  }

  private static JsonNode root(Path reports) throws IOException {
    try (Stream<Path> runs = Files.list(reports)) {
      Path summary = runs.filter(p -> !p.getFileName().toString().equals("latest") && Files.isDirectory(p))
          .map(p -> p.resolve("summary.json")).filter(Files::isRegularFile).findFirst().orElseThrow();
      return JSON.readTree(summary.toFile());
    }
  }

  private static Map<String, JsonNode> summary(Path reports) throws IOException {
    Map<String, JsonNode> checks = new LinkedHashMap<>();
    root(reports).path("checks").forEach(c -> checks.put(c.path("id").asText(), c));
    return checks;
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
