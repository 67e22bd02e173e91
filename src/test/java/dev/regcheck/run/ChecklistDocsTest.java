package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.Lang;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import java.util.Locale;

/**
 * The committed checklists ({@code docs/checklist.zh.md}, {@code docs/checklist.en.md}) are what
 * {@code regcheck list --format md --lab cluster1.example} prints from the catalog: the build
 * fails when a catalog change left them stale, and says how to regenerate them.
 */
class ChecklistDocsTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(Lang.class)
  void committedChecklistIsCurrent(Lang lang) throws Exception {
    LabProfile documentLab = new ProfileLoader(Map.of(), Map.of()).load(Path.of("profiles/cluster1.example.yaml"));
    String generated = Checklist.plan(Catalog.all(), lang, documentLab.templateValues());
    String name = "checklist." + lang.name().toLowerCase(Locale.ROOT) + ".md";
    String committed = Files.readString(Path.of("docs", name), StandardCharsets.UTF_8);
    assertThat(committed)
        .as("docs/" + name + " is stale; regenerate it: ./regcheck list --format md --lab cluster1.example --lang "
            + lang.name().toLowerCase(Locale.ROOT) + " > docs/" + name)
        .isEqualTo(generated);
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.DisplayName("docs/checks.md, the catalog reference, is what the catalog generates, and names every check")
  void committedCatalogReferenceIsCurrent() throws Exception {
    LabProfile documentLab = new ProfileLoader(Map.of(), Map.of()).load(Path.of("profiles/cluster1.example.yaml"));
    String generated = CatalogReference.markdown(Catalog.all(), documentLab.templateValues());
    assertThat(Files.readString(Path.of("docs/checks.md"), StandardCharsets.UTF_8))
        .as("docs/checks.md is stale; regenerate it: ./regcheck list --format reference --lab cluster1.example > docs/checks.md")
        .isEqualTo(generated);
    Catalog.all().forEach(c -> assertThat(generated).contains("| " + c.id() + " | "));
    // what a capture cannot show is said per check
    assertThat(generated).contains("| live only: a TLS handshake through the router |").contains("| objects |");
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.DisplayName("no link in README or docs/ leaves the repository: a user's clone has every file they name")
  void linksStayInTheRepository() throws Exception {
    java.util.List<Path> pages = new java.util.ArrayList<>(java.util.List.of(Path.of("README.md"), Path.of("reports/README.md")));
    try (var docs = Files.list(Path.of("docs"))) {
      docs.filter(f -> f.toString().endsWith(".md")).forEach(pages::add);
    }
    java.util.regex.Pattern link = java.util.regex.Pattern.compile("\\]\\(([^)\\s]+)\\)");
    for (Path page : pages) {
      var m = link.matcher(Files.readString(page, StandardCharsets.UTF_8));
      while (m.find()) {
        String target = m.group(1).replaceFirst("#.*$", "");
        if (target.isEmpty()) {
          continue; // an anchor on the same page
        }
        assertThat(target).as(page + " links " + m.group(1)).doesNotContain("://").doesNotStartWith("/");
        Path resolved = page.toAbsolutePath().getParent().resolve(target).normalize();
        assertThat(resolved).as(page + " links " + m.group(1)).startsWith(Path.of("").toAbsolutePath()).exists();
      }
    }
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.DisplayName("the HTML checklist holds every check with its fix, escaped, and loads nothing from anywhere")
  void htmlChecklistIsSelfContained() {
    LabProfile documentLab = new ProfileLoader(Map.of(), Map.of()).load(Path.of("profiles/cluster1.example.yaml"));
    String html = Checklist.planHtml(Catalog.all(), Lang.ZH, documentLab.templateValues());
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"zh\">")
        .doesNotContain("<script").doesNotContain("src=").doesNotContainPattern("href=\"[^#]").doesNotContain("@import");
    // the procedure as a picture, a blank worksheet: every step a box with a tick box, linked to its section
    assertThat(html).contains("<svg class=\"procedure\"");
    for (dev.regcheck.catalog.Step s : dev.regcheck.catalog.Step.values()) {
      assertThat(html).contains("<a href=\"#" + s.name() + "\">").contains("<h2 id=\"" + s.name() + "\">");
    }
    // prerequisites across steps are arrows: S10.4 needs S08.7's push
    assertThat(ProcedureDiagram.edges(Catalog.all())).contains(java.util.List.of(dev.regcheck.catalog.Step.S08,
        dev.regcheck.catalog.Step.S10));
    Catalog.all().forEach(c -> assertThat(html).contains("<span class=\"id\">" + c.id() + "</span>"));
    // the commands' quotes and JSON braces are escaped, not markup
    assertThat(html).contains("--patch &#39;".replace("&#39;", "'") + "{&quot;spec&quot;");
    assertThat(Checklist.html("<b>&\"")).isEqualTo("&lt;b&gt;&amp;&quot;");
  }
}
