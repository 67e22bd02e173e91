package dev.regcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is one line naming the field or value, exit 2, never a stack trace. */
class CommandLineTest {

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

  String oneErrorLine(int exit, String... args) {
    assertThat(Main.execute(args)).as("exit code of %s", String.join(" ", args)).isEqualTo(exit);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text.strip().lines()).as("stderr of %s: %s", String.join(" ", args), text).hasSize(1);
    assertThat(text).doesNotContain("\tat ").doesNotContain("Exception:");
    return text.strip();
  }

  @Test
  void aBadProfileFieldIsNamed(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: x\nnfs: {server: a, path: /nfs}\nstorage: {capcity: 1Gi}\n");
    assertThat(oneErrorLine(2, "run", "--lab", bad.toString()))
        .startsWith("regcheck: " + bad + ": field 'storage.capcity': unknown field");
  }

  @Test
  void aMissingProfileIsNamed() {
    assertThat(oneErrorLine(2, "run", "--lab", "no-such-lab")).endsWith("profiles/no-such-lab.yaml: no such profile file");
  }

  @Test
  void anUnknownProviderIsOneLine() {
    for (String[] command : new String[][] {{"demo"}, {"lab", "up"}, {"class", "--labs", "1"}}) {
      err.reset();
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
          java.util.stream.Stream.of("--provider", "docker")).toArray(String[]::new);
      assertThat(oneErrorLine(2, args))
          .isEqualTo("regcheck: --provider: unknown provider 'docker'; known: host | containers | auto");
    }
  }

  @Test
  void anUnknownGateIsOneLine() {
    assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--gate", "some"))
        .isEqualTo("regcheck: --gate: expected mandatory or all, got 'some'");
  }

  @Test
  void anUnknownListFormatIsOneLine() {
    assertThat(oneErrorLine(2, "list", "--format", "pdf"))
        .isEqualTo("regcheck: --format: expected md, html or reference, got 'pdf'");
  }

  @Test
  void anUnknownFaultListsTheKnownOnes() {
    assertThat(oneErrorLine(2, "demo", "--fault", "disk-full"))
        .isEqualTo("regcheck: --fault: unknown fault 'disk-full'; known: removed, storage-not-configured, pv-rwo, "
            + "pv-wrong-server, pvc-default-class, claim-missing, claim-bound-elsewhere, registry-crashloop, registry-hung, replica-hung, pv-released, storage-two-types, storage-unmanaged, "
            + "operator-hotloop, unmanaged-emptydir, unmanaged-route-edge, no-builder-role, catalog-forbidden, anonymous-push, "
            + "notifications-lost, delete-noop, registry-down, hostname-not-published, blob-corruption, "
            + "image-held, service-cert-wrong-san, nfs-down, export-missing, "
            + "export-readonly, pv-wrong-path, endpoints-stale, default-route-off, ingress-ca-untrusted, san-mismatch, cert-expired, "
            + "wrong-root, key-mismatch, route-named-default-route, root-ca-untrusted, kubeconfig-wrong-ca, token-expired, client-cert-only, registry-capability-disabled, evicted-registry-pod, restricted-auditor, audit-with-password, foreign-in-cluster-env, nfs-secure-export, ca-anchor-not-extracted, proxy-required, port-forward-crashloop-first, many-images, ready-replicas-unreported");
  }

  @Test
  void applyOnARealClusterNeedsConsent() {
    assertThat(oneErrorLine(2, "run", "--lab", "profiles/cluster1.example.yaml", "--mode", "apply"))
        .contains("apply mode changes the cluster of profiles/cluster1.example.yaml; pass --yes or set apply.consent: true");
  }

  @Test
  @DisplayName("embedded: true in a profile does not waive consent when the kubeconfig leads elsewhere")
  void applyConsentCannotBeBypassedByPointingTheSandboxElsewhere(@TempDir Path dir) throws Exception {
    Path other = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: prod, cluster: {server: "https://10.0.0.1:6443"}}]
        users: [{name: admin, user: {token: abcd}}]
        contexts: [{name: prod, context: {cluster: prod, user: admin}}]
        current-context: prod
        """);
    assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--mode", "apply", "--set", "cluster.kubeconfig=" + other))
        .contains("apply mode changes the cluster of").contains("pass --yes");
  }

  @Test
  void aRecordingGoesIntoANewOrEmptyFolderOnly(@TempDir Path dir) throws Exception {
    Path used = Files.createDirectories(dir.resolve("rec"));
    Path mine = Files.writeString(used.resolve("notes.txt"), "mine");
    // refused before anything starts: neither run nor demo mixes a recording into other files
    assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--record", used.toString()))
        .isEqualTo("regcheck: --record " + used + ": the folder is not empty; name a new or empty one");
    err.reset();
    assertThat(oneErrorLine(2, "demo", "--record", used.toString()))
        .isEqualTo("regcheck: --record " + used + ": the folder is not empty; name a new or empty one");
    assertThat(Files.readString(mine)).isEqualTo("mine");
    try (var left = Files.list(used)) {
      assertThat(left).hasSize(1);
    }
  }

  @Test
  void labUpNeverOverwritesAKubeconfig(@TempDir Path dir) throws Exception {
    Path mine = Files.writeString(dir.resolve("config"), "mine");
    assertThat(oneErrorLine(2, "lab", "up", "--kubeconfig", mine.toString())).contains("--kubeconfig: " + mine + " exists");
    assertThat(Files.readString(mine)).isEqualTo("mine");
  }

  @Test
  void aClassWithBadLabsFaultsOrParallelIsOneLine() {
    assertThat(oneErrorLine(2, "class", "--labs", "0")).isEqualTo("regcheck: --labs: expected 1..50, got 0");
  }

  @Test
  void aClassFaultNamesItsLab() {
    assertThat(oneErrorLine(2, "class", "--labs", "3", "--fault", "4=nfs-down"))
        .isEqualTo("regcheck: --fault: expected LAB=NAME with LAB 1..3, got '4=nfs-down'");
  }

  @Test
  void aClassFaultWithoutALabIsNamed() {
    assertThat(oneErrorLine(2, "class", "--labs", "3", "--fault", "nfs-down"))
        .isEqualTo("regcheck: --fault: expected LAB=NAME with LAB 1..3, got 'nfs-down'");
  }

  @Test
  void aClassFaultMustBeKnown() {
    assertThat(oneErrorLine(2, "class", "--labs", "3", "--fault", "2=disk-full"))
        .startsWith("regcheck: --fault: unknown fault 'disk-full'; known: removed, ");
  }

  @Test
  void aClassNeedsOneLabAtOnceAtLeast() {
    assertThat(oneErrorLine(2, "class", "--labs", "2", "--parallel", "0"))
        .isEqualTo("regcheck: --parallel: expected 1 or more, got 0");
  }

  @Test
  void aFleetRejectsOneFolderForSeveralClustersAndTheSameClusterTwice(@TempDir Path dir) {
    assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--lab", "cluster1.example", "--record", dir.toString()))
        .isEqualTo("regcheck: --record: one folder cannot hold several clusters; give one --lab");
  }

  @Test
  void aFleetNamesAProfileGivenTwice() {
    assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--lab", "sandbox"))
        .isEqualTo("regcheck: --lab: profile 'sandbox' is given twice");
  }

  @Test
  void parallelNeedsSeveralClusters() {
    assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--parallel", "2"))
        .isEqualTo("regcheck: --parallel: only with several --lab");
  }

  @Test
  void badModeLanguageTagsAndChecksAreNamed() {
    assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--mode", "fix")).contains("--mode: expected audit, verify or apply, got 'fix'");
  }

  @Test
  void badLanguage() {
    assertThat(oneErrorLine(2, "list", "--lang", "fr")).contains("expected zh or en, got 'fr'");
  }

  @Test
  void unknownOption() {
    assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--frobnicate")).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void aSandboxRunWithNoLabUpSaysHowToStartOne(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("profiles"));
    Files.copy(Path.of("profiles/sandbox.yaml"), home.resolve("profiles/sandbox.yaml"));
    String old = System.getProperty("regcheck.home");
    System.setProperty("regcheck.home", home.toString());
    try {
      assertThat(oneErrorLine(2, "run", "--lab", "sandbox", "--mode", "audit"))
          .contains("field 'cluster.kubeconfig': file").contains("start the embedded lab first: ./regcheck lab up");
    } finally {
      if (old == null) {
        System.clearProperty("regcheck.home");
      } else {
        System.setProperty("regcheck.home", old);
      }
    }
  }

  @Test
  void anUnknownCommandPointsAtTheHelpOnce() {
    assertThat(oneErrorLine(2, "frobnicate")).contains("(see: regcheck --help)").doesNotContain("regcheck regcheck");
    err.reset();
    assertThat(oneErrorLine(2, "lab", "frobnicate")).contains("(see: regcheck lab --help)");
  }

  @Test
  void labWithoutASubcommandIsAnError() {
    assertThat(oneErrorLine(2, "lab")).contains("lab: a sub-command is needed: up").contains("(see: regcheck lab --help)");
  }

  @Test
  void anUnreachableApiServerIsNamedByItsAddress(@TempDir Path dir) throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        current-context: c
        """.formatted(closed));
    Path profile = Files.writeString(dir.resolve("gone.yaml"),
        "name: gone\ncluster: {kubeconfig: kubeconfig}\nnfs: {server: 10.0.0.5, path: /nfs}\n");
    assertThat(oneErrorLine(2, "run", "--lab", profile.toString(), "--mode", "audit"))
        .contains("cannot reach the API server of gone at https://127.0.0.1:" + closed);
  }

  @Test
  void aMissingKubeconfigOfARealClusterSaysHowToLogIn(@TempDir Path dir) throws Exception {
    Path profile = Files.writeString(dir.resolve("real.yaml"),
        "name: real\ncluster: {kubeconfig: no-such-kubeconfig}\nnfs: {server: 10.0.0.5, path: /nfs}\n");
    assertThat(oneErrorLine(2, "run", "--lab", profile.toString(), "--mode", "audit"))
        .contains("field 'cluster.kubeconfig': file").contains("oc login").doesNotContain("lab up");
  }

  @Test
  void listNeedsNoCluster() {
    assertThat(Main.execute("list", "--lang", "zh")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("## S04 创建PVC").contains("S04.2");
  }
}
