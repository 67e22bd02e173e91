package dev.regcheck.cli;

import dev.regcheck.catalog.Lang;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.run.Gate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code regcheck class --labs N [--fault LAB=NAME]…}: a class of N embedded labs at once, each as
 * {@code demo} does it (the procedure applied, everything checked), in a JVM of its own; the class
 * report ({@code class.html}, {@code class.json}) over every lab's own.
 */
@Command(name = "class", mixinStandardHelpOptions = true,
    description = "Start N embedded labs at once (a class), apply and check each, report them side by side.")
final class ClassCommand implements Callable<Integer> {
  /** As many labs as the machine has network namespaces for them. */
  static final int MAX_LABS = 50;

  @Option(names = "--labs", required = true, paramLabel = "N", description = "how many labs (1.." + MAX_LABS + ")")
  int labs;

  @Option(names = "--fault", paramLabel = "LAB=NAME",
      description = "break lab LAB (1..N) the way real labs break (repeatable; a lab with none is healthy)")
  List<String> faults = List.of();

  @Option(names = "--parallel", paramLabel = "K", description = "labs at once (default: the machine's cores)")
  Integer parallel;

  @Option(names = "--lang", description = "zh | en (default: the sandbox profile's)")
  String lang;

  @Option(names = "--gate", defaultValue = "mandatory", paramLabel = "mandatory|all",
      description = "which results fail a lab: mandatory FAIL/BLOCKED, or also any WARN")
  String gate;

  @Option(names = "--provider", defaultValue = "auto", paramLabel = "host|containers|auto", description = Labs.PROVIDER_HELP)
  String provider;

  @Option(names = "--report-dir", description = "folder for run reports (default: reports/)")
  Path reportDir;

  @Override
  public Integer call() throws Exception {
    if (labs < 1 || labs > MAX_LABS) {
      throw new IllegalArgumentException("--labs: expected 1.." + MAX_LABS + ", got " + labs);
    }
    Gate.of(gate);
    Map<Integer, List<String>> byLab = faultsByLab(faults, labs);
    int k = Fleet.parallelOption(parallel);
    dev.regcheck.lab.Provider where = Labs.provider(provider); // resolved once: every lab runs where the first would
    where.prepare(); // the images, built once before the labs start side by side
    Lang l = Lang.of(lang == null ? ProfileLoader.fromSystem(Map.of()).load(Home.profiles().resolve("sandbox.yaml")).lang()
        : lang);
    List<Fleet.Member> members = new ArrayList<>();
    for (int i = 1; i <= labs; i++) {
      List<String> chosen = byLab.getOrDefault(i, List.of());
      List<String> args = new ArrayList<>(List.of("demo", "--lang", l.code(), "--gate", gate, "--provider",
          where.word()));
      chosen.forEach(f -> args.addAll(List.of("--fault", f)));
      members.add(new Fleet.Member("lab-" + i, chosen, args));
    }
    return Fleet.run("class", "regcheck class of " + labs, members, k,
        reportDir == null ? Home.reports() : reportDir, l, System.out);
  }

  /** {@code 2=nfs-down} → lab 2: [nfs-down]; every name a known fault, every lab in 1..N. */
  static Map<Integer, List<String>> faultsByLab(List<String> specs, int labs) {
    Map<Integer, List<String>> out = new TreeMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      int lab;
      try {
        lab = eq < 1 ? -1 : Integer.parseInt(spec.substring(0, eq).strip());
      } catch (NumberFormatException e) {
        lab = -1;
      }
      if (lab < 1 || lab > labs) {
        throw new IllegalArgumentException("--fault: expected LAB=NAME with LAB 1.." + labs + ", got '" + spec + "'");
      }
      String name = spec.substring(eq + 1).strip();
      Labs.faults(List.of(name)); // one line naming the unknown fault and the known ones
      out.computeIfAbsent(lab, x -> new ArrayList<>()).add(name);
    }
    return out;
  }
}
