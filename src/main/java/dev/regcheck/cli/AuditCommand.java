package dev.regcheck.cli;

import dev.regcheck.catalog.Lang;
import dev.regcheck.lab.SnapshotLab;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.run.Gate;
import dev.regcheck.run.RunOptions;
import dev.regcheck.session.Mode;
import dev.regcheck.snapshot.Capture;
import dev.regcheck.snapshot.CaptureException;
import dev.regcheck.snapshot.CaptureReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code regcheck audit --snapshot PATH}: the procedure's checks, in audit mode and unchanged,
 * against what a cluster captured (a must-gather, an Insights archive, {@code oc get} files)
 * served read-only by the lab's API server. What needs a live cluster SKIPs saying so; what the
 * capture did not collect SKIPs "not in the capture".
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Audit a cluster from what it captured: a must-gather, an Insights archive or oc get files.")
final class AuditCommand implements Callable<Integer> {

  @Option(names = "--snapshot", required = true, paramLabel = "PATH",
      description = "a must-gather folder, an Insights archive, a folder of oc get -o yaml|json files, or a .tar/.tar.gz of one")
  Path snapshot;

  @Option(names = "--lab", defaultValue = "sandbox", paramLabel = "PROFILE",
      description = "the profile naming what the procedure set up (PV, claim, hosts); default: sandbox")
  String lab;

  @Option(names = "--lang", description = "zh | en (default: the profile's)")
  String lang;

  @Option(names = "--gate", defaultValue = "mandatory", paramLabel = "mandatory|all",
      description = "which results fail the run: mandatory FAIL/BLOCKED, or also any WARN (known issues excepted)")
  String gate;

  @Option(names = "--report-dir", description = "folder for run reports (default: reports/)")
  Path reportDir;

  @Option(names = "--set", paramLabel = "FIELD=VALUE",
      description = "override a profile field, e.g. exposure.certificate.rootCa=root.crt (the kubeconfig is the capture's)")
  Map<String, String> sets = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    Gate g = Gate.of(gate);
    Path profilePath = ProfileLoader.locate(lab, Home.profiles());
    if (sets.containsKey("cluster.kubeconfig") || sets.containsKey("cluster.context")) {
      throw new IllegalArgumentException("--set cluster.kubeconfig/cluster.context: an audit reads the capture's "
          + "objects, not a cluster; leave the kubeconfig out");
    }
    LabProfile profile = ProfileLoader.fromSystem(sets).load(profilePath);
    Path work = Home.state().resolve("audit-" + Instant.now().toEpochMilli());
    Files.createDirectories(work);
    Thread cleanup = new Thread(() -> Labs.delete(work), "regcheck-audit-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      Capture capture;
      try {
        capture = CaptureReader.read(snapshot.toAbsolutePath(), Files.createDirectories(work.resolve("unpacked")));
      } catch (CaptureException e) {
        System.err.println("regcheck: " + e.getMessage());
        return 2;
      } finally {
        Labs.delete(work.resolve("unpacked")); // the objects are in memory; nothing unpacked stays
      }
      List<SnapshotLab.Item> items = capture.objects().stream().map(o -> new SnapshotLab.Item(o.apiVersion(), o.kind(),
          o.namespace(), o.object().toString())).toList();
      Set<SnapshotLab.Scope> whole = capture.complete().stream()
          .map(s -> new SnapshotLab.Scope(s.group(), s.kind(), s.namespace(),
              SnapshotLab.Scope.selector(s.labelSelector(), s.fieldSelector()))).collect(Collectors.toSet());
      Map<SnapshotLab.Log, List<String>> logs = capture.logs().entrySet().stream().collect(Collectors.toMap(
          e -> new SnapshotLab.Log(e.getKey().namespace(), e.getKey().pod(), e.getKey().previous()), Map.Entry::getValue));
      try (SnapshotLab served = SnapshotLab.serve(items, whole, logs, profile.identity().user(), work.resolve("api"))) {
        Map<String, String> description = describe(capture);
        System.out.println("auditing " + description.get("snapshot.kind") + " " + capture.path() + ": "
            + capture.objects().size() + " objects" + description.entrySet().stream()
                .filter(e -> !e.getKey().equals("snapshot.kind") && !e.getKey().equals("snapshot.path"))
                .map(e -> ", " + e.getKey() + " " + e.getValue()).collect(Collectors.joining()));
        if (!served.notServed().isEmpty()) {
          System.out.println("not served (kinds the procedure does not read): " + served.notServed());
        }
        capture.notes().forEach(n -> System.out.println("note: " + n));
        Map<String, String> overrides = new LinkedHashMap<>(sets);
        overrides.put("cluster.kubeconfig", served.kubeconfig().toString());
        overrides.put("cluster.context", ""); // the served kubeconfig's own, whatever context the profile names
        RunOptions options = new RunOptions(profilePath, overrides, Mode.AUDIT,
            Lang.of(lang == null ? profile.lang() : lang), Set.of(), null, Set.of(),
            reportDir == null ? Home.reports() : reportDir).withAllureHtml(null)
            .judgingSnapshot(description);
        return RunCommand.runAndPrint(options, ProfileLoader.fromSystem(overrides).load(profilePath), g);
      }
    } finally {
      Labs.delete(work);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  /** What the report's environment says of the capture. */
  static Map<String, String> describe(Capture capture) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("snapshot.kind", capture.kind().label());
    d.put("snapshot.path", capture.path().toString());
    capture.capturedAt().ifPresent(t -> d.put("snapshot.captured", t.toString()));
    capture.clusterVersion().ifPresent(v -> d.put("cluster.version", v));
    capture.clusterId().ifPresent(id -> d.put("cluster.id", id));
    return d;
  }
}
