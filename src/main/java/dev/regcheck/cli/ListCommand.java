package dev.regcheck.cli;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.Lang;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.run.Checklist;
import dev.regcheck.run.CatalogReference;
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

  @Option(names = "--format", defaultValue = "md", paramLabel = "md|html|reference",
      description = "Markdown, a self-contained HTML page to hand out, or the catalog reference (docs/checks.md)"
          + " (default: ${DEFAULT-VALUE})")
  String format;

  @Override
  public Integer call() {
    if (!"md".equals(format) && !"html".equals(format) && !"reference".equals(format)) {
      System.err.println("regcheck: --format: expected md, html or reference, got '" + format + "'");
      return 2;
    }
    if ("reference".equals(format)) {
      LabProfile profile = ProfileLoader.fromSystem(Map.of()).load(ProfileLoader.locate(lab, Home.profiles()));
      System.out.print(CatalogReference.markdown(Catalog.all(), profile.templateValues()));
      return 0;
    }
    LabProfile profile = ProfileLoader.fromSystem(Map.of()).load(ProfileLoader.locate(lab, Home.profiles()));
    Lang l = Lang.of(lang == null ? profile.lang() : lang);
    System.out.print("html".equals(format) ? Checklist.planHtml(Catalog.all(), l, profile.templateValues())
        : Checklist.plan(Catalog.all(), l, profile.templateValues()));
    return 0;
  }
}
