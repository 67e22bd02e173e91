package dev.regcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.Lang;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The terminal: every check once, a blocked check naming its blocker only, long waits named, colour only where wanted. */
class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private Progress progress(boolean tty, Map<String, String> env) {
    return progress(tty, env, Lang.EN);
  }

  private Progress progress(boolean tty, Map<String, String> env, Lang lang) {
    Map<String, String> values = new dev.regcheck.profile.ProfileLoader(Map.of(), Map.of())
        .load(java.nio.file.Path.of("profiles/sandbox.yaml")).templateValues();
    return new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), lang, values, tty, env);
  }

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static CheckResult result(String id, Status s, String message) {
    return new CheckResult(Catalog.get(id), s, message, "oc apply -f pvc.yaml", 5, List.of());
  }

  private void run(Progress p) {
    p.accept(result("S04.1", Status.FAIL, "PersistentVolumeClaim internal-registry-pvc does not exist"));
    p.waiting("PersistentVolumeClaim internal-registry-pvc to be Bound", Duration.ofSeconds(2));
    p.waiting("PersistentVolumeClaim internal-registry-pvc to be Bound", Duration.ofSeconds(3));
    p.over();
    p.accept(result("S04.2", Status.BLOCKED, "blocked by S04.1: FAIL PersistentVolumeClaim internal-registry-pvc does not exist"));
    p.accept(result("S05.1", Status.PASS, ""));
    p.accept(result("S06.1", Status.BLOCKED, "blocked by S01.1: deployment image-registry does not exist (S01.1 FAIL: "
        + "spec.managementState is Removed)"));
    // a blocker whose message is quoted without a status word: said once, above
    p.accept(result("S06.2", Status.BLOCKED, "blocked by S04.1: PersistentVolumeClaim internal-registry-pvc does not exist"));
    // S05.4 is judged after every other check: its step's title comes again, marked as continued
    p.accept(result("S05.4", Status.PASS, ""));
  }

  @Test
  void inALogEveryCheckIsWrittenOnceAndEveryWaitOnce() {
    run(progress(false, Map.of()));
    String out = text();
    for (String id : List.of("S04.1", "S04.2", "S05.1", "S06.1", "S06.2")) {
      assertThat(Pattern.compile("(?m)^  [A-Z]+ +" + Pattern.quote(id) + " ").matcher(out).results().count()).as(id)
          .isEqualTo(1);
    }
    // the blocker's message is on its own line once; the blocked check names the blocker and what is absent
    assertThat(out).containsOnlyOnce("internal-registry-pvc does not exist").contains("blocked by S04.1\n")
        .contains("blocked by S01.1: deployment image-registry does not exist\n")
        .containsSubsequence("S06.2", "blocked by S04.1\n")
        .doesNotContain("spec.managementState is Removed");
    assertThat(out).contains("\nS04 ").contains("\nS05 ").containsOnlyOnce("fix: oc apply -f pvc.yaml");
    assertThat(out).containsOnlyOnce("\nS05 Configure the registry storage backend\n")
        .containsOnlyOnce("\nS05 Configure the registry storage backend (continued)\n")
        .containsSubsequence("S06.2", "(continued)", "S05.4");
    assertThat(out).containsOnlyOnce("  … waiting for PersistentVolumeClaim internal-registry-pvc to be Bound\n").doesNotContain("\033").doesNotContain("\r");
  }

  @Test
  void onATerminalTheWaitLineIsRewrittenInPlaceAndStatusesAreColoured() {
    run(progress(true, Map.of("TERM", "xterm")));
    String out = text();
    assertThat(out).contains("\r\033[K  … waiting for PersistentVolumeClaim internal-registry-pvc to be Bound (3 s)").contains("\033[31mFAIL\033[0m")
        .contains("\033[32mPASS\033[0m");
    // the wait line is cleared before the next check is written
    assertThat(out).contains("(3 s)\r\033[K");
  }

  @Test
  void inChineseEveryReasonAndWaitIsChineseWithNamesVerbatim() {
    run(progress(false, Map.of(), Lang.ZH));
    String out = text();
    assertThat(out).contains("PVC internal-registry-pvc 不存在\n").contains("受阻于 S04.1\n")
        .contains("受阻于 S01.1：Deployment image-registry 不存在\n").contains("修复：oc apply -f pvc.yaml")
        .contains("  … 等待 PVC internal-registry-pvc 绑定\n").contains("（续）\n")
        .doesNotContain("blocked by").doesNotContain("(continued)").doesNotContain("does not exist");
  }

  @Test
  void noColourWhenNoColorIsSet() {
    run(progress(true, Map.of("NO_COLOR", "1", "TERM", "xterm")));
    assertThat(text()).doesNotContain("\033[31m").doesNotContain("\033[32m").contains("\r\033[K");
  }
}
