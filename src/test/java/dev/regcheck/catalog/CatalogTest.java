package dev.regcheck.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogTest {

  static final List<String> SUITES = List.of("S01ManagementStateTest", "S02NfsExportTest", "S03PersistentVolumeTest",
      "S04PersistentVolumeClaimTest", "S05StorageBackendTest", "S05HotLoopTest", "S06RegistryPodTest", "S07BuildAndPushTest", "S08RegistryAccessTest", "S09ImageDeletionTest",
      "S10DefaultRouteTest", "S11CustomRouteTest", "S12LoginTest");

  @Test
  void everyCatalogCheckHasExactlyOneTestAndEveryTestACatalogEntry() throws Exception {
    List<String> tested = new ArrayList<>();
    for (String s : SUITES) {
      Class<?> c = Class.forName("dev.regcheck.conformance." + s);
      Step step = c.getAnnotation(Conformance.class).value();
      for (Method m : c.getDeclaredMethods()) {
        Check check = m.getAnnotation(Check.class);
        if (check != null) {
          assertThat(Catalog.get(check.value()).step()).as(check.value() + " is in its step's suite").isEqualTo(step);
          tested.add(check.value());
        }
      }
    }
    assertThat(tested).containsExactlyInAnyOrderElementsOf(Catalog.all().stream().map(CheckDef::id).toList());
  }

  @Test
  void prerequisitesComeEarlierAndIdsFollowTheirStep() {
    for (CheckDef c : Catalog.all()) {
      assertThat(c.id()).startsWith(c.step().name() + ".");
      for (String p : c.prerequisites()) {
        assertThat(Catalog.all().indexOf(Catalog.get(p))).isLessThan(Catalog.all().indexOf(c));
      }
      assertThat(Tags.ALL).containsAll(c.tags());
    }
  }

  @Test
  void everyPlaceholderIsFilledByAProfile() {
    LabProfile p = new ProfileLoader(Map.of(), Map.of()).load(Path.of("profiles/cluster1.example.yaml"));
    for (CheckDef c : Catalog.all()) {
      for (Lang lang : Lang.values()) {
        assertThat(c.title(lang, p.templateValues())).doesNotContain("${");
        assertThat(c.remediation(lang, p.templateValues())).doesNotContain("${");
      }
    }
    assertThat(Catalog.get("S03.1").remediation(Lang.EN, p.templateValues())).contains("172.16.50.200", "/nfs", "200Gi");
  }

  @Test
  void idSelectorsTakeGlobsAndRefuseNonsense() {
    var sel = Catalog.idSelector("S05.*,S04.2");
    assertThat(sel.test("S05.3")).isTrue();
    assertThat(sel.test("S04.2")).isTrue();
    assertThat(sel.test("S04.1")).isFalse();
    assertThat(Catalog.idSelector("S06").test("S06.2")).isTrue();
    assertThatThrownBy(() -> Catalog.idSelector("pvc")).hasMessageContaining("'pvc' is not a check id");
  }
}
