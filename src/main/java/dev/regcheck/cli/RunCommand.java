package dev.regcheck.cli;

import java.io.IOException;
import dev.regcheck.catalog.Lang;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.run.Checklist;
import dev.regcheck.run.Gate;
import dev.regcheck.session.Mode;
import dev.regcheck.run.RunOptions;
import dev.regcheck.run.RunReport;
import dev.regcheck.run.SuiteRunner;
import dev.regcheck.wait.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.regcheck.lab.LabFiles;

/** {@code regcheck run --lab PROFILE}: the checks against a cluster (or a running {@code lab up}). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the checks against the lab a profile describes.")
final class RunCommand implements Callable<Integer> {

  @Option(names = "--lab", required = true, paramLabel = "PROFILE",
      description = "profile name in profiles/ (e.g. sandbox) or a path to a profile YAML; repeat it to check "
          + "several clusters in one run (each in a process of its own, one class report over them)")
  List<String> labs = new ArrayList<>();

  @Option(names = "--parallel", paramLabel = "K",
      description = "with several --lab: clusters checked at once (default: the machine's cores)")
  Integer parallel;

  String lab;

  @Option(names = "--mode", defaultValue = "verify", description = "audit | verify | apply (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--tags", split = ",", description = "only checks with one of these tags")
  List<String> tags = List.of();

  @Option(names = "--checks", description = "only these check ids or globs, e.g. S05.*,S04.2")
  String checks;

  @Option(names = "--skip-apply", split = ",", paramLabel = "STEP",
      description = "in apply mode, leave these steps to the person (e.g. S05)")
  List<String> skipApply = List.of();

  @Option(names = "--report-dir", description = "folder for run reports (default: reports/)")
  Path reportDir;

  @Option(names = "--lang", description = "zh | en (default: the profile's)")
  String lang;

  @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "override a profile field, e.g. timeouts.settle=2m")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(names = "--gate", defaultValue = "mandatory", paramLabel = "mandatory|all",
      description = "which results fail the run: mandatory FAIL/BLOCKED, or also any WARN (known issues excepted)")
  String gate;

  @Option(names = "--history-dir", paramLabel = "DIR",
      description = "where the lab's report history is kept between runs (default: reports/history/<lab>)")
  Path historyDir;

  @Option(names = "--yes", description = "consent to apply mode changing a real cluster")
  boolean yes;

  @Option(names = "--record", paramLabel = "DIR", description = RECORD_HELP)
  Path record;

  static final String RECORD_HELP = "write every object the run reads into DIR (new or empty) as oc get files, "
      + "for ./regcheck audit --snapshot DIR; secrets as metadata and key names only";

  @Override
  public Integer call() throws IOException, InterruptedException {
    Gate g = Gate.of(gate);
    if (labs.size() > 1) {
      return fleet();
    }
    if (parallel != null) {
      throw new IllegalArgumentException("--parallel: only with several --lab");
    }
    lab = labs.get(0);
    Path profilePath = ProfileLoader.locate(lab, Home.profiles());
    LabProfile profile = ProfileLoader.fromSystem(sets).load(profilePath);
    Mode m = Mode.of(mode);
    boolean embeddedLab = profile.embedded() && Labs.isEmbeddedLab(profile.cluster().kubeconfig());
    if (m == Mode.APPLY && !embeddedLab && !yes && !profile.apply().consent()) {
      throw new IllegalArgumentException("apply mode changes the cluster of " + profilePath
          + "; pass --yes or set apply.consent: true in the profile");
    }
    for (String s : skipApply) {
      if (!s.matches("S\\d{2}")) {
        throw new IllegalArgumentException("--skip-apply: expected step ids such as S05, got '" + s + "'");
      }
    }
    Lang l = Lang.of(lang == null ? profile.lang() : lang);
    Map<String, String> effective = sets;
    if (embeddedLab) {
      // the lab's workstation files (root CA, trust anchors, password) unless --set says otherwise
      effective = new LinkedHashMap<>(LabFiles.profileOverrides(
          profile.cluster().kubeconfig().toAbsolutePath().getParent()));
      effective.putAll(sets);
      profile = ProfileLoader.fromSystem(effective).load(profilePath); // the checklist's commands name the lab's files
    }
    RunOptions options = new RunOptions(profilePath, effective, m, l, new HashSet<>(tags), checks,
        Set.copyOf(skipApply), reportDir == null ? Home.reports() : reportDir).withAllureHtml(historyDir);
    if (embeddedLab) {
      // the lab workstation's environment too (proxy-required: HTTPS_PROXY, NO_PROXY), as demo does
      Path labDir = profile.cluster().kubeconfig().toAbsolutePath().getParent();
      try {
        options = options.withEnvironment(LabFiles.runEnvironment(labDir));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the lab's workstation environment in " + labDir + ": "
            + e.getMessage());
      }
    }
    return runAndPrint(recording(options, record), profile, g);
  }

  /** The run recording into {@code dir} (checked first: a new or empty folder), or as it is when {@code dir} is null. */
  static RunOptions recording(RunOptions options, Path dir) {
    if (dir == null) {
      return options;
    }
    checkRecordFolder(dir);
    return options.recordingInto(dir.toAbsolutePath());
  }

  /** {@code --record DIR} must name a new or empty folder: a recording mixed with other files would not be the run's. */
  static void checkRecordFolder(Path dir) {
    if (dir != null && Files.exists(dir)) {
      boolean empty;
      try (var entries = Files.list(dir)) {
        empty = entries.findAny().isEmpty();
      } catch (IOException e) {
        throw new IllegalArgumentException("--record " + dir + ": not a folder regcheck can write into ("
            + e.getClass().getSimpleName() + ")");
      }
      if (!empty) {
        throw new IllegalArgumentException("--record " + dir + ": the folder is not empty; name a new or empty one");
      }
    }
  }

  static int runAndPrint(RunOptions options, LabProfile profile, Gate gate) {
    Map<String, String> values = profile.templateValues();
    System.out.println("regcheck " + options.mode().id() + " on " + profile.name() + " (" + options.profile() + ")");
    Progress progress = new Progress(System.out, options.lang(), values);
    RunReport report;
    Wait.watchedBy(progress);
    try {
      report = SuiteRunner.run(options, progress);
    } finally {
      Wait.watchedBy(null);
    }
    System.out.println();
    for (String a : report.applied()) {
      System.out.println((options.lang() == Lang.ZH ? "已执行 " : "applied ") + a);
    }
    // the checks were each written once as they ended: a total, no second listing
    System.out.println(Checklist.total(report, options.lang()));
    if (options.record() != null) {
      System.out.println("recorded what the run read in " + options.record() + " (judge it again: ./regcheck audit "
          + "--snapshot " + options.record() + ")");
    }
    return report.exitCode(gate);
  }

  /**
   * {@code run --lab A --lab B …}: each profile checked by a {@code run} of its own (every option
   * but {@code --parallel} passed on), at most {@code --parallel} at once, and the class report over
   * them in {@code reports/<stamp>-fleet/}. Every profile is loaded first: a bad one stops the run
   * before any cluster is touched.
   */
  private int fleet() throws IOException, InterruptedException {
    if (historyDir != null || record != null) {
      throw new IllegalArgumentException((record != null ? "--record" : "--history-dir")
          + ": one folder cannot hold several clusters; give one --lab");
    }
    int k = Fleet.parallelOption(parallel);
    Mode.of(mode);
    List<Fleet.Member> members = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Lang l = null;
    for (String one : labs) {
      Path profilePath = ProfileLoader.locate(one, Home.profiles());
      LabProfile profile = ProfileLoader.fromSystem(sets).load(profilePath);
      String name = profile.name();
      if (!names.add(name)) {
        throw new IllegalArgumentException("--lab: profile '" + name + "' is given twice");
      }
      l = l != null ? l : Lang.of(lang == null ? profile.lang() : lang);
      List<String> args = new ArrayList<>(List.of("run", "--lab", profilePath.toString(), "--mode", mode, "--gate", gate));
      if (lang != null) {
        args.addAll(List.of("--lang", lang));
      }
      if (!tags.isEmpty()) {
        args.addAll(List.of("--tags", String.join(",", tags)));
      }
      if (checks != null) {
        args.addAll(List.of("--checks", checks));
      }
      if (!skipApply.isEmpty()) {
        args.addAll(List.of("--skip-apply", String.join(",", skipApply)));
      }
      sets.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
      if (yes) {
        args.add("--yes");
      }
      members.add(new Fleet.Member(name, List.of(), args));
    }
    return Fleet.run("fleet", "regcheck run of " + members.size() + " clusters", members, k,
        reportDir == null ? Home.reports() : reportDir, l, System.out);
  }
}
