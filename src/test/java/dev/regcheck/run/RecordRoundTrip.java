package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.LiveOnly;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import dev.regcheck.session.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The recording's round trip, for a lab as a row of the fault matrix left it: a live audit with
 * {@code --record}, then {@code audit --snapshot} of the recording. Every check that needs no
 * network (nor a check that does, before it) has the same status, and a FAIL or WARN the same
 * message (the newest event quoted aside: the lab goes on meanwhile). What needs the network
 * SKIPs "needs a live cluster"; what a recording never holds (a secret's values: S11.1's tls.key)
 * SKIPs "not in the capture", and nothing else does.
 */
final class RecordRoundTrip {
  /** Checks that judge a secret's values, which a recording never holds. */
  static final Set<String> SECRET_VALUES = Set.of("S11.1");

  private RecordRoundTrip() {}

  static void check(String row, Map<String, String> overrides, Map<String, String> env, Path dir) throws Exception {
    Path recorded = dir.resolve("recording");
    RunReport live = SuiteRunner.run(new RunOptions(FaultMatrixTest.SANDBOX, overrides, Mode.AUDIT, Lang.EN, Set.of(),
        null, Set.of(), dir.resolve("recorded-run")).withEnvironment(env).recordingInto(recorded), r -> { });
    List<String> args = new ArrayList<>(List.of("audit", "--snapshot", recorded.toString(), "--lang", "en",
        "--report-dir", dir.resolve("snapshot-run").toString()));
    // the workstation's files the live run judged by (the lab root CA, trust anchors); the kubeconfig is the capture's
    overrides.forEach((field, value) -> {
      if (!field.startsWith("cluster.")) {
        args.add("--set");
        args.add(field + "=" + value);
      }
    });
    int exit = dev.regcheck.cli.Main.execute(args.toArray(String[]::new));
    if (exit == 2) {
      // nothing was recorded because the run could read nothing: an API server it does not trust (S12.1) or a
      // session refused (S08.4) blocks every read, and a recording of no object is no capture to audit
      assertThat(live.results()).as(row + ": a run that recorded nothing was refused the API")
          .anyMatch(r -> (r.check().id().equals("S12.1") || r.check().id().equals("S08.4")) && r.status() == Status.FAIL);
      assertThat(live.results()).as(row + ": and read no object").allMatch(r -> LiveOnly.reaches(r.check().id()).isPresent()
          || r.status() == Status.BLOCKED || r.status() == Status.SKIP);
      return;
    }
    assertThat(exit).as(row + ": audit --snapshot of the recording ran").isIn(0, 1);
    Map<String, String> fromRecording = CaptureRoundTripTest.verdicts(dir.resolve("snapshot-run"));

    for (CheckResult r : live.results()) {
      String id = r.check().id();
      String verdict = fromRecording.get(id);
      String what = row + ": " + id + " live " + r.status() + " " + r.message() + "\n  from the recording: " + verdict;
      if (LiveOnly.reaches(id).isPresent()) {
        assertThat(verdict).as(what).startsWith("SKIP needs a live cluster: ");
      } else if (afterLiveOnly(Catalog.get(id))) {
        assertThat(verdict).as(what).startsWith("SKIP skipped because S");
      } else if (SECRET_VALUES.contains(id) && verdict.startsWith("SKIP not in the capture: the value of ")) {
        continue; // judged live from the key; a recording keeps its name only
      } else {
        assertThat(verdict).as(what).startsWith(r.status() + " ");
        if (r.status() == Status.FAIL || r.status() == Status.WARN || r.status() == Status.BLOCKED) {
          assertThat(comparable(verdict)).as(what).isEqualTo(comparable(r.status() + " " + r.message()));
        }
      }
    }
    // and nothing secret in it: no private key, no token of the run
    try (Stream<Path> files = Files.walk(recorded)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("PRIVATE KEY").doesNotContainPattern(
            "sha256~[A-Za-z0-9_-]{16,}");
      }
    }
  }

  /** A verdict without what differs from one moment to the next: the newest event quoted, the time "now". */
  static String comparable(String verdict) {
    // a probe that keeps failing is counted from the events as last read: the recording holds a later read than
    // the check that counted them (S06.1 reads them again after S05.3); a crash-looping container's back-off
    // doubles between the live read and the recording's (the kubelet's waiting message: "back-off 2s", then 4s)
    return CaptureRoundTripTest.withoutEvents(verdict).replaceAll("\\(now [0-9TZ:.+-]+\\)", "(now …)")
        .replaceAll("probe failed \\d+ times", "probe failed N times")
        .replaceAll("back-off \\d+(\\.\\d+)?(ms|s|m\\d+s|m)", "back-off N");
  }

  /** Whether a check comes after one that needs the network (a capture SKIPs it, and so what follows it). */
  static boolean afterLiveOnly(CheckDef check) {
    for (String p : check.prerequisites()) {
      if (LiveOnly.reaches(p).isPresent() || afterLiveOnly(Catalog.get(p))) {
        return true;
      }
    }
    return false;
  }
}
