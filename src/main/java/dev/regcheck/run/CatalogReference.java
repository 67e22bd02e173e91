package dev.regcheck.run;

import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.LiveOnly;
import dev.regcheck.catalog.Need;
import dev.regcheck.catalog.Step;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code docs/checks.md}: the check catalog as a reference, generated from the catalog itself (a
 * test keeps the committed copy current): what the statuses and modes mean, then every check of
 * every step with both titles, whether it is mandatory, its area, what it needs before it, and
 * whether a capture can judge it.
 */
public final class CatalogReference {
  private CatalogReference() {}

  public static String markdown(List<CheckDef> checks, Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        # The check catalog

        Generated from the catalog (`./regcheck list --format reference --lab cluster1.example > docs/checks.md`;
        the build fails when it is stale). Values in the titles are the document's lab (`profiles/cluster1.example.yaml`);
        a run prints its own lab's. The checklists a class works through are
        [`checklist.zh.md`](checklist.zh.md) and [`checklist.en.md`](checklist.en.md).

        ## Statuses

        | status | meaning | fails the run |
        |---|---|---|
        | PASS | what the check proves holds | no |
        | FAIL | the lab is wrong: the message says what and why, the fix says what to do | a mandatory check: yes |
        | WARN | it works, but risky or deviating; or an optional check failed; or a known issue of the lab | only with `--gate all` |
        | SKIP | not applicable here, with the reason (a permission the identity lacks, a step the class does by hand, a capture that cannot show it) | no |
        | BLOCKED | what the check inspects is missing, and the earlier check named failed and explains why | a mandatory check: yes |
        | ERROR | the harness itself failed | yes |

        ## Modes

        - **audit**: reads only; no write of any kind leaves the machine.
        - **verify** (default): reads, plus what the registry round trip itself causes (a push, a pull, the deletion of what it pushed).
        - **apply**: first performs every selected step as the document does, idempotently, then verifies everything.

        ## The checks

        *Needs*: **pass** = runs only after that check passed; **absent** = BLOCKED by that check only when what it
        inspects is absent and that check failed. *From a capture* (`audit --snapshot`): **objects** = judged from the
        captured objects; otherwise what only a live cluster shows, and the check SKIPs.
        """);
    Step current = null;
    for (CheckDef c : checks) {
      if (c.step() != current) {
        current = c.step();
        sb.append("\n### ").append(current.name()).append(' ').append(current.titleEn()).append(" / ")
            .append(current.titleZh()).append("\n\n")
            .append("| id | what it proves | 中文 | required | area | needs | from a capture |\n")
            .append("|---|---|---|---|---|---|---|\n");
      }
      StringBuilder needs = new StringBuilder();
      for (Need n : c.needs()) {
        needs.append(needs.length() == 0 ? "" : "; ").append(n.kind() == Need.Kind.PASS ? "pass " : "absent ")
            .append(n.check());
      }
      sb.append("| ").append(c.id()).append(" | ").append(cell(c.title(Lang.EN, values))).append(" | ")
          .append(cell(c.title(Lang.ZH, values))).append(" | ").append(c.mandatory() ? "mandatory" : "optional")
          .append(" | ").append(Area.of(c).en())
          .append(" | ").append(needs.length() == 0 ? "—" : needs).append(" | ")
          .append(LiveOnly.reaches(c.id()).map(r -> "live only: " + cell(r)).orElse("objects")).append(" |\n");
    }
    sb.append("\nTags: ");
    TreeSet<String> tags = new TreeSet<>();
    checks.forEach(c -> tags.addAll(c.tags()));
    sb.append(String.join(", ", tags.stream().map(t -> "`" + t + "`").toList()))
        .append(" (`--tags` selects by them).\n");
    return sb.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
