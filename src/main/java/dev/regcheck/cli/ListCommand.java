package dev.regcheck.cli;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.Lang;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.run.Checklist;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.Map;

/** {@code regcheck list}: the checklist, no cluster needed. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Print the checklist (no cluster needed).")
final class ListCommand implements Callable<Integer> {

  @Option(names = "--lang", description = "zh | en (default: the profile's)")
  String lang;

  @Option(names = "--lab", defaultValue = "sandbox", paramLabel = "PROFILE",
      description = "profile whose names fill the commands (default: ${DEFAULT-VALUE})")
  String lab;

  @Option(names = "--format", defaultValue = "md", paramLabel = "md|html",
      description = "Markdown, or a self-contained HTML page to hand out (default: ${DEFAULT-VALUE})")
  String format;

  @Override
  public Integer call() {
    if (!"md".equals(format) && !"html".equals(format)) {
      System.err.println("regcheck: --format: expected md or html, got '" + format + "'");
      return 2;
    }
    LabProfile profile = ProfileLoader.fromSystem(Map.of()).load(ProfileLoader.locate(lab, Home.profiles()));
    Lang l = Lang.of(lang == null ? profile.lang() : lang);
    System.out.print("html".equals(format) ? Checklist.planHtml(Catalog.all(), l, profile.templateValues())
        : Checklist.plan(Catalog.all(), l, profile.templateValues()));
    return 0;
  }
}
