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
  @org.junit.jupiter.api.DisplayName("the HTML checklist holds every check with its fix, escaped, and loads nothing from anywhere")
  void htmlChecklistIsSelfContained() {
    LabProfile documentLab = new ProfileLoader(Map.of(), Map.of()).load(Path.of("profiles/cluster1.example.yaml"));
    String html = Checklist.planHtml(Catalog.all(), Lang.ZH, documentLab.templateValues());
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"zh\">")
        .doesNotContain("<script").doesNotContain("src=").doesNotContain("href=").doesNotContain("@import");
    Catalog.all().forEach(c -> assertThat(html).contains("<span class=\"id\">" + c.id() + "</span>"));
    // the commands' quotes and JSON braces are escaped, not markup
    assertThat(html).contains("--patch &#39;".replace("&#39;", "'") + "{&quot;spec&quot;");
    assertThat(Checklist.html("<b>&\"")).isEqualTo("&lt;b&gt;&amp;&quot;");
  }
}
