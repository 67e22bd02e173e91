package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Lang;
import dev.regcheck.client.ClusterClients;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.LabFiles;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import dev.regcheck.session.Mode;
import dev.regcheck.snapshot.Capture;
import dev.regcheck.snapshot.CaptureReader;
import dev.regcheck.snapshot.MustGatherWriter;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab gathered as must-gather lays it out, then audited from that capture (a folder and a
 * .tar.gz of it), gives every check the live audit judged from objects alone the same status and
 * message; what needs the network SKIPs instead. Secrets leave no value but their length.
 */
@EmbeddedLabTest(classLab = false)
class CaptureRoundTripTest {
  static final Path SANDBOX = Path.of("profiles/sandbox.yaml");

  @Test
  void pvcDefaultClassGatheredAndAudited(@TempDir Path dir, TestLabs labs) throws Exception {
    LabProfile base = new ProfileLoader(Map.of(), Map.of()).load(SANDBOX);
    Map<String, String> live;
    Path gathered = dir.resolve("mg");
    try (EmbeddedLab lab = labs.start(dev.regcheck.cli.Labs.settings(base), Set.of(Fault.PVC_DEFAULT_CLASS))) {
      Map<String, String> env = LabFiles.runEnvironment(lab.kubeconfig().getParent());
      RunReport report = SuiteRunner.run(new RunOptions(SANDBOX, lab.profileOverrides(), Mode.AUDIT, Lang.EN, Set.of(),
          null, Set.of(), dir.resolve("live")).withEnvironment(env), r -> { });
      live = verdicts(report);
      LabProfile profile = new ProfileLoader(env, lab.profileOverrides()).load(SANDBOX);
      try (OpenShiftClient client = ClusterClients.connect(profile, true, env)) {
        assertThat(MustGatherWriter.write(client, gathered, Instant.now())).isPositive();
      }
    }
    assertThat(live.get("S04.1")).startsWith("FAIL");
    assertThat(live.get("S04.2")).startsWith("FAIL");

    Path archive = dir.resolve("mg.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out); Stream<Path> files = Files.walk(gathered)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        tar.putArchiveEntry(new TarArchiveEntry(file.toFile(), dir.relativize(file).toString()));
        Files.copy(file, tar);
        tar.closeArchiveEntry();
      }
    }
    for (Path capture : new Path[] {gathered, archive}) {
      Path reports = dir.resolve("audit-" + capture.getFileName());
      assertThat(dev.regcheck.cli.Main.execute("audit", "--snapshot", capture.toString(), "--lang", "en",
          "--report-dir", reports.toString())).as("exit code of audit --snapshot " + capture).isEqualTo(1);
      Map<String, String> fromCapture = verdicts(reports);
      live.forEach((id, verdict) -> {
        if (dev.regcheck.catalog.LiveOnly.reaches(id).isPresent()) {
          assertThat(fromCapture.get(id)).as(id).startsWith("SKIP needs a live cluster: ");
        } else if (verdict.startsWith("FAIL") || verdict.startsWith("PASS")) {
          // the same verdict in the same words; the newest event quoted may differ (the lab goes on meanwhile)
          assertThat(withoutEvents(fromCapture.get(id))).as(id + " from " + capture).isEqualTo(withoutEvents(verdict));
        }
      });
    }
    // no private key anywhere in the capture (a route's spec.tls.key is emptied, a secret's tls.key is its length)
    try (Stream<Path> files = Files.walk(gathered)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("PRIVATE KEY");
      }
    }
    // inspect's redaction: a secret's values are their length only, tls.crt excepted
    Capture read = CaptureReader.read(gathered, Files.createDirectories(dir.resolve("scratch")));
    read.objects().stream().filter(o -> o.kind().equals("Secret")).forEach(secret ->
        secret.object().path("data").fields().forEachRemaining(e -> {
          if (!e.getKey().equals("tls.crt") && !e.getKey().equals("ca.crt") && !e.getKey().equals("service-ca.crt")) {
            assertThat(new String(java.util.Base64.getDecoder().decode(e.getValue().asText())))
                .as(secret.key() + " " + e.getKey()).matches("\\d+ bytes long");
          }
        }));
  }

  @Test
  void aCrashLoopIsGatheredWithItsLogs(@TempDir Path dir, TestLabs labs) throws Exception {
    LabProfile base = new ProfileLoader(Map.of(), Map.of()).load(SANDBOX);
    Path gathered = dir.resolve("mg");
    String live;
    try (EmbeddedLab lab = labs.start(dev.regcheck.cli.Labs.settings(base), Set.of(Fault.REGISTRY_CRASHLOOP))) {
      Map<String, String> env = LabFiles.runEnvironment(lab.kubeconfig().getParent());
      RunReport report = SuiteRunner.run(new RunOptions(SANDBOX, lab.profileOverrides(), Mode.APPLY, Lang.EN, Set.of(),
          "S01.*,S03.*,S04.*,S05.*", Set.of(), dir.resolve("live")).withEnvironment(env), r -> { });
      live = verdicts(report).get("S05.3");
      LabProfile profile = new ProfileLoader(env, lab.profileOverrides()).load(SANDBOX);
      try (OpenShiftClient client = ClusterClients.connect(profile, true, env)) {
        MustGatherWriter.write(client, gathered, Instant.now());
      }
    }
    String fatal = "level=fatal msg=\"tls: failed to parse private key\"";
    assertThat(live).startsWith("FAIL").contains("is crash-looping").contains("last log line: ").contains(fatal);
    // the previous container's log lies where must-gather puts it: pods/<pod>/registry/registry/logs/previous.log
    try (Stream<Path> files = Files.walk(gathered)) {
      assertThat(files.filter(f -> f.toString().matches(".*/namespaces/openshift-image-registry/pods/[^/]+/registry/"
          + "registry/logs/previous\\.log")).toList()).singleElement().satisfies(f -> assertThat(f).content().contains(fatal));
    }
    // and the audit of the capture quotes it as the live run did (a later restart may differ in its time only)
    Path reports = dir.resolve("audit");
    assertThat(dev.regcheck.cli.Main.execute("audit", "--snapshot", gathered.toString(), "--lang", "en",
        "--report-dir", reports.toString())).isEqualTo(1);
    assertThat(verdicts(reports).get("S05.3")).startsWith("FAIL").contains("is crash-looping")
        .contains("last log line: ").contains(fatal);
  }

  static String withoutEvents(String verdict) {
    return verdict == null ? null : verdict.replaceAll(": (Normal|Warning) [A-Z][A-Za-z]*: .*$", ": <event>");
  }

  private static Map<String, String> verdicts(RunReport report) {
    Map<String, String> out = new LinkedHashMap<>();
    for (CheckResult r : report.results()) {
      out.put(r.check().id(), r.status() + " " + r.message());
    }
    return out;
  }

  static Map<String, String> verdicts(Path reports) throws Exception {
    Path summary;
    try (Stream<Path> runs = Files.list(reports)) {
      summary = runs.filter(p -> !p.getFileName().toString().equals("latest") && Files.isDirectory(p))
          .map(p -> p.resolve("summary.json")).filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    Map<String, String> out = new LinkedHashMap<>();
    new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile()).path("checks").forEach(c ->
        out.put(c.path("id").asText(), Status.valueOf(c.path("status").asText()) + " " + c.path("message").asText()));
    return out;
  }
}
