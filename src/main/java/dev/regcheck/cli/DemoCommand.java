package dev.regcheck.cli;

import dev.regcheck.catalog.Lang;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.pki.CustomCertificate;
import dev.regcheck.pki.LeafProfile;
import dev.regcheck.lab.LabFiles;
import dev.regcheck.lab.Provider;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.session.Mode;
import dev.regcheck.run.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.regcheck.run.Gate;

/**
 * {@code regcheck demo}: start the embedded lab (a new bare-metal cluster, registry Removed),
 * perform the procedure in apply mode (less the steps a fault says the person skipped), check
 * everything, report, and stop everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start the embedded lab, apply and check the procedure, report, stop everything.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--fault", paramLabel = "NAME", description = "break the lab the way real labs break (repeatable)")
  List<String> faults = List.of();

  @Option(names = "--lang", description = "zh | en (default: the profile's)")
  String lang;

  @Option(names = "--gate", defaultValue = "mandatory", paramLabel = "mandatory|all",
      description = "which results fail the run: mandatory FAIL/BLOCKED, or also any WARN (known issues excepted)")
  String gate;

  @Option(names = "--report-dir", description = "folder for run reports (default: reports/)")
  Path reportDir;

  @Option(names = "--record", paramLabel = "DIR", description = RunCommand.RECORD_HELP)
  Path record;

  @Option(names = "--provider", defaultValue = "auto", paramLabel = "host|containers|auto", description = Labs.PROVIDER_HELP)
  String provider;

  @Override
  public Integer call() throws Exception {
    Gate g = Gate.of(gate);
    Set<Fault> chosen = Labs.faults(faults);
    RunCommand.checkRecordFolder(record); // before the lab starts
    Provider where = Labs.provider(provider);
    Path profilePath = Home.profiles().resolve("sandbox.yaml");
    LabProfile profile = ProfileLoader.fromSystem(Map.of()).load(profilePath);
    // the process id too: the labs of a class start in the same millisecond
    Path work = Home.state().resolve("demo-" + Instant.now().toEpochMilli() + "-" + ProcessHandle.current().pid());
    Files.createDirectories(work);
    Thread cleanup = new Thread(() -> Labs.delete(work), "regcheck-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    long t0 = System.nanoTime();
    Set<String> skip = new TreeSet<>();
    chosen.forEach(f -> skip.addAll(f.skippedSteps()));
    if (!skip.contains("S11") && profile.exposure().usesCustomRoute()) {
      // S11's new 4096-bit key (about a CPU-second) is made while the lab starts, which leaves a core idle
      // at times; the demo's new folder holds no key to keep
      CustomCertificate.makeKeyAhead(work, LeafProfile.document(profile.name())
          .withKeyBits(profile.exposure().certificate().keyBits()));
    }
    try (EmbeddedLab lab = EmbeddedLab.start(Labs.settings(profile), chosen, work, where)) {
      Labs.mark(work, lab.apiUrl());
      System.out.printf("embedded lab (%s) ready at %s in %d ms%s%n", where.word(), lab.apiUrl(),
          (System.nanoTime() - t0) / 1_000_000,
          chosen.isEmpty() ? "" : " with faults " + chosen.stream().map(Fault::id).toList());
      lab.nfsUnavailable().ifPresent(why -> System.out.println("the lab runs no NFS server, so S02 is skipped: " + why));
      if (!skip.isEmpty()) {
        System.out.println("the simulated person skipped " + skip);
      }
      RunOptions options = new RunOptions(profilePath,
          lab.profileOverrides(),
          Mode.APPLY, Lang.of(lang == null ? profile.lang() : lang), Set.of(), null, skip,
          reportDir == null ? Home.reports() : reportDir).withAllureHtml(null)
          .withEnvironment(LabFiles.runEnvironment(lab.kubeconfig().getParent()));
      options = RunCommand.recording(options, record);
      return RunCommand.runAndPrint(options, ProfileLoader.fromSystem(lab.profileOverrides()).load(profilePath), g);
    } finally {
      Labs.delete(work);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }
}
