package dev.regcheck.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The message templates beside the catalog: each whole, and what rendering keeps verbatim. */
class MessagesTest {

  @Test
  void everyTemplateHasBothVariantsWithTheSamePlaceholders() {
    assertThat(Messages.templates()).hasSizeGreaterThan(150);
    Set<String> seen = new HashSet<>();
    for (Messages.Template t : Messages.templates()) {
      String where = "messages.txt line " + t.line() + ": " + t.en();
      assertThat(seen.add(t.en().replaceAll(":(word|msg|list)}", "}"))).as(where + " (twice)").isTrue();
      assertThat(Messages.hasChinese(t.zh())).as(where + " has a zh variant in Chinese").isTrue();
      assertThat(names(t, t.zh())).as(where + " placeholders in zh").isEqualTo(names(t, t.en()));
      assertThat(t.literal()).as(where + " is more than placeholders").isGreaterThan(2);
    }
  }

  private static Set<String> names(Messages.Template t, String text) {
    Set<String> out = new TreeSet<>();
    t.placeholders(text).forEach(p -> out.add(p.replaceFirst(":.*", "")));
    return out;
  }

  @Test
  void whyACheckNeedsAnotherAndWhatNeedsALiveClusterAreInChinese() {
    for (CheckDef c : Catalog.all()) {
      for (Need n : c.needs()) {
        assertThat(Messages.gaps(n.why())).as(c.id() + " needs " + n.check()).isEmpty();
      }
      LiveOnly.reaches(c.id()).ifPresent(what -> assertThat(Messages.gaps("needs a live cluster: " + what
          + " (judging must-gather)")).as(c.id() + " live only").isEmpty());
    }
  }

  @Test
  void aMalformedFileFailsNamingItsLine() {
    assertThatThrownBy(() -> Messages.parse("en: a {x}\nen: b\nzh: 乙\n")).hasMessage("messages.txt line 1: en without zh");
    assertThatThrownBy(() -> Messages.parse("zh: 甲\n")).hasMessage("messages.txt line 1: zh without en");
    assertThatThrownBy(() -> Messages.parse("# c\nfr: a\n")).hasMessageContaining("line 2: expected 'en: ' or 'zh: '");
  }

  @Test
  void objectNamesAndQuotedErrorsStayVerbatim() {
    String en = "registry pod image-registry-7c9-x cannot start: FailedMount: MountVolume.SetUp failed for volume "
        + "\"internal-registry\" : mount failed: exit status 32";
    String zh = Messages.render(en, Lang.ZH);
    assertThat(zh).startsWith("镜像仓库 Pod image-registry-7c9-x 无法启动：FailedMount：")
        .endsWith("MountVolume.SetUp failed for volume \"internal-registry\" : mount failed: exit status 32");
    assertThat(Messages.render(en, Lang.EN)).isEqualTo(en);
  }

  @Test
  void aBlockerQuotesItsRootsMessageInChineseToo() {
    String en = "blocked by S01.1 (via S05.3): FAIL spec.managementState is Removed, not Managed (bare metal installs the "
        + "registry as Removed)";
    assertThat(Messages.render(en, Lang.ZH)).isEqualTo(
        "受阻于 S01.1（经由 S05.3，未通过）：spec.managementState 为 Removed，不是 Managed（裸金属安装时镜像仓库默认为 Removed）");
    assertThat(Messages.gaps(en)).isEmpty();
  }

  @Test
  void listsAreRenderedItemByItem() {
    String en = "PersistentVolume internal-registry deviates from the profile: access modes [ReadWriteOnce] lack "
        + "ReadWriteMany; nfs.server 127.0.0.2, expected 127.0.0.1";
    assertThat(Messages.render(en, Lang.ZH)).isEqualTo(
        "PV internal-registry 与配置文件不符：访问模式 [ReadWriteOnce] 缺少 ReadWriteMany；nfs.server 为 127.0.0.2，应为 127.0.0.1");
  }

  @Test
  void anEventOverSeveralLinesIsQuotedWithTheWordsAfterItInChinese() {
    String en = "PersistentVolumeClaim internal-registry-pvc is Pending with storageClassName 'lab-nfs' (the static NFS "
        + "PersistentVolume has none): Warning ProvisioningFailed: mount failed: exit status 32\nMounting command: mount\n"
        + "Output: mount.nfs: access denied; PersistentVolume internal-registry does not match: its storage class '' is "
        + "not the claim's 'lab-nfs'";
    assertThat(Messages.render(en, Lang.ZH)).startsWith("PVC internal-registry-pvc 处于 Pending")
        .contains("\nMounting command: mount\n").endsWith("；PV internal-registry 不匹配：它的存储类 '' 与 PVC 的 'lab-nfs' 不同");
    assertThat(Messages.gaps(en)).isEmpty();
    // a log quoted under a message no template spans: the first line is the message
    assertThat(Messages.render("deployment image-registry does not exist\nsome log", Lang.ZH))
        .isEqualTo("Deployment image-registry 不存在\nsome log");
  }

  @Test
  void anEmptyValueIsAValueToo() {
    assertThat(Messages.render("its storage class '' is not the claim's 'lab-nfs'", Lang.ZH))
        .isEqualTo("它的存储类 '' 与 PVC 的 'lab-nfs' 不同");
  }

  @Test
  void notesAfterAMessageAreRenderedInTurn() {
    String en = "service image-registry: it has no ready endpoint (no Ready registry pod behind it); token from the kubeconfig";
    assertThat(Messages.render(en, Lang.ZH)).isEqualTo(
        "服务 image-registry：它没有就绪的端点（后面没有就绪的镜像仓库 Pod）；令牌来自 the kubeconfig");
  }

  @Test
  void whatNoTemplateCoversStaysEnglishAndIsAGap() {
    String en = "something the harness never says";
    assertThat(Messages.render(en, Lang.ZH)).isEqualTo(en);
    assertThat(Messages.gaps(en)).containsExactly(en);
    // a covered frame with an uncovered message inside is a gap too: the test of the zh matrix sees it
    assertThat(Messages.gaps("blocked by S01.1: FAIL " + en)).containsExactly(en);
    // a word placeholder takes no spaces: "a b does not exist" is no object's name
    assertThat(Messages.templateOf("the push of x does not exist")).isEmpty();
    assertThat(Messages.gaps("deployment image-registry does not exist")).isEmpty();
    assertThat(List.of(Messages.render("deployment image-registry does not exist", Lang.ZH)))
        .containsExactly("Deployment image-registry 不存在");
  }
}
