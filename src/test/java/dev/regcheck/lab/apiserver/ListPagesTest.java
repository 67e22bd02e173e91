package dev.regcheck.lab.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.testlab.EmbeddedLabTest;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.client.OpenShiftClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lists in pages as kube-apiserver serves them: in key order, every page from the first page's
 * snapshot (an object created meanwhile appears in none of them, one deleted meanwhile is still
 * read), 410 Expired for a token whose snapshot is gone, 400 for one that is not a token.
 */
@EmbeddedLabTest
class ListPagesTest {

  @Test
  void pagesComeFromOneSnapshot(EmbeddedLab lab, OpenShiftClient user) {
    String ns = "default";
    for (String name : List.of("page-b", "page-d", "page-f")) {
      user.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
          .addToData("k", "v").build()).create();
    }
    ConfigMapList first = user.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(1L).build());
    List<String> names = new ArrayList<>();
    first.getItems().forEach(c -> names.add(c.getMetadata().getName()));
    assertThat(first.getMetadata().getRemainingItemCount()).isPositive();
    // meanwhile: one created that would sort among the rest, one of the rest deleted
    user.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("page-c").endMetadata()
        .build()).create();
    user.configMaps().inNamespace(ns).withName("page-f").delete();
    String token = first.getMetadata().getContinue();
    while (token != null) {
      ConfigMapList next = user.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(1L)
          .withContinue(token).build());
      next.getItems().forEach(c -> names.add(c.getMetadata().getName()));
      token = next.getMetadata().getContinue();
    }
    assertThat(names.stream().filter(n -> n.startsWith("page-"))).containsExactly("page-b", "page-d", "page-f");
    assertThat(names).isSorted();

    String gone = Base64.getUrlEncoder().withoutPadding().encodeToString("999999:1".getBytes());
    assertThatThrownBy(() -> user.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(1L)
        .withContinue(gone).build())).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(410);
          assertThat(e.getStatus().getReason()).isEqualTo("Expired");
        });
    assertThatThrownBy(() -> user.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(1L)
        .withContinue("not a token!").build())).isInstanceOfSatisfying(KubernetesClientException.class,
            e -> assertThat(e.getCode()).isEqualTo(400));
  }

  @Test
  void fieldSelectorsAsTheServerJudgesThem(OpenShiftClient user) {
    String ns = "default";
    for (int i = 0; i < 6; i++) {
      EventBuilder event = new EventBuilder().withNewMetadata().withName("fs-event-" + i).endMetadata()
          .withNewInvolvedObject().withKind(i % 2 == 0 ? "Pod" : "PersistentVolumeClaim").withName("fs-target-" + (i % 3))
          .withNamespace(ns).endInvolvedObject().withType(i == 5 ? "Warning" : "Normal").withReason("R" + i)
          .withNewSource().withComponent("kubelet").endSource();
      user.v1().events().inNamespace(ns).resource(event.build()).create();
    }
    // as oc describe asks: the events of one object, here in pages of one
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      EventList page = user.v1().events().inNamespace(ns).withField("involvedObject.kind", "Pod")
          .withField("involvedObject.name", "fs-target-0").list(1, token);
      page.getItems().forEach(e -> names.add(e.getMetadata().getName()));
      token = page.getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    assertThat(names).containsExactly("fs-event-0"); // fs-event-3 names fs-target-0 too, but as a claim
    assertThat(user.v1().events().inNamespace(ns).withField("type", "Warning").withField("source", "kubelet").list()
        .getItems()).extracting(e -> e.getMetadata().getName()).containsExactly("fs-event-5");
    assertThat(user.v1().events().inNamespace(ns).withoutField("involvedObject.kind", "Pod").list().getItems())
        .extracting(e -> e.getMetadata().getName()).contains("fs-event-1", "fs-event-3", "fs-event-5")
        .doesNotContain("fs-event-0", "fs-event-2", "fs-event-4");
    // a label the resource does not register is refused, never answered with an empty list
    assertThatThrownBy(() -> user.v1().events().inNamespace(ns).withField("spec.nodeName", "master0").list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(400);
          assertThat(e.getStatus().getMessage()).isEqualTo("field label not supported: spec.nodeName");
        });
    // lists are named as the server names them
    assertThat(user.v1().events().inNamespace(ns).list().getKind()).isEqualTo("EventList");
  }
}
