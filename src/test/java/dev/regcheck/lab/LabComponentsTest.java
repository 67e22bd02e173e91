package dev.regcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.assertj.core.groups.Tuple;
import dev.regcheck.lab.kube.PodScheduler;
import dev.regcheck.lab.kube.PodConditions;
import dev.regcheck.lab.seed.ClusterSeed;
import dev.regcheck.lab.apiserver.ApiServer;
import dev.regcheck.lab.apiserver.Identities;
import dev.regcheck.lab.apiserver.RequestLog;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.ControlPlane;
import dev.regcheck.lab.core.EventRecorder;

/** Single lab components, without registry processes. */
class LabComponentsTest {
  private static final String NS = LabDriver.SETTINGS.namespace();

  @Test
  @DisplayName("an Error thrown by a component neither stops the schedule nor the other components")
  void controlPlaneSurvivesErrors() {
    AtomicInteger failing = new AtomicInteger();
    AtomicInteger healthy = new AtomicInteger();
    Controller throwsError = () -> {
      failing.incrementAndGet();
      throw new AssertionError("simulated Error in a component");
    };
    Controller throwsOther = () -> {
      throw new StackOverflowError();
    };
    try (ControlPlane plane = new ControlPlane(List.of(throwsError, throwsOther, healthy::incrementAndGet))) {
      plane.tickNow();
      assertThat(healthy).hasValue(1);
      plane.start();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(failing.get()).isGreaterThanOrEqualTo(4);
        assertThat(healthy.get()).isGreaterThanOrEqualTo(4);
      });
    }
  }

  @Test
  @DisplayName("a write wakes the control plane at once, a pass that writes is followed by at most 4 more, then the 200 ms pause")
  void writesWakeTheControlPlaneAndAWritingComponentCannotSpinIt() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    ControlPlane[] plane = new ControlPlane[1];
    // a component that writes on every pass, as a hot-looping operator does
    Controller writer = () -> {
      passes.incrementAndGet();
      plane[0].wake();
    };
    try (ControlPlane p = new ControlPlane(List.of(writer))) {
      plane[0] = p;
      p.start();
      Thread.sleep(1000);
      // unbounded it would run thousands of passes a second; bounded, 5 per pause: at most (1000/200 + 1) * 5
      assertThat(passes.get()).isGreaterThan(5).isLessThanOrEqualTo(30);
    }
    AtomicInteger quiet = new AtomicInteger();
    try (ControlPlane p = new ControlPlane(List.of(quiet::incrementAndGet))) {
      p.start();
      await().atMost(Duration.ofSeconds(2)).until(() -> quiet.get() >= 1);
      Thread.sleep(50);
      int before = quiet.get();
      Thread.sleep(2000);
      // a component that writes nothing runs once per pause: about 10 passes in 2 s, never back to back
      assertThat(quiet.get() - before).isBetween(3, 11);
    }
  }

  @Test
  @DisplayName("the controllers are woken by writes to what they watch, not by image, event or token writes")
  void whatWakesTheControllers() {
    assertThat(RequestLog.watchedByControllers("/apis/imageregistry.operator.openshift.io/v1/configs/cluster")).isTrue();
    assertThat(RequestLog.watchedByControllers("/api/v1/namespaces/events-archive/pods/p/status")).isTrue();
    assertThat(RequestLog.watchedByControllers("/api/v1/namespaces/openshift-image-registry/events")).isFalse();
    assertThat(RequestLog.watchedByControllers("/api/v1/namespaces/openshift-image-registry/events/e1?fieldManager=x")).isFalse();
    assertThat(RequestLog.watchedByControllers("/apis/events.k8s.io/v1/namespaces/n/events")).isFalse();
    assertThat(RequestLog.watchedByControllers("/apis/image.openshift.io/v1/namespaces/bench/imagestreams")).isFalse();
    assertThat(RequestLog.watchedByControllers("/apis/oauth.openshift.io/v1/oauthaccesstokens")).isFalse();
  }

  @Test
  @DisplayName("pod conditions are replaced by type in place; other types are kept; a new type is appended")
  void podConditionsByType() {
    Pod pod = new PodBuilder().withNewStatus()
        .addToConditions(cond("example.com/Gate", "True"), cond("PodScheduled", "False"),
            cond("DisruptionTarget", "False"))
        .endStatus().build();
    List<PodCondition> updated = PodConditions.upsert(pod, cond("PodScheduled", "True"));
    assertThat(updated).extracting("type", "status").containsExactly(
        Tuple.tuple("example.com/Gate", "True"),
        Tuple.tuple("PodScheduled", "True"),
        Tuple.tuple("DisruptionTarget", "False"));
    assertThat(PodConditions.upsert(new Pod(), cond("PodScheduled", "True")))
        .extracting("type").containsExactly("PodScheduled");
    assertThat(PodConditions.find(pod, "DisruptionTarget")).isPresent();
    assertThat(PodConditions.find(new Pod(), "Ready")).isEmpty();
  }

  @Test
  @DisplayName("the scheduler writes only PodScheduled and keeps the pod's other conditions")
  void schedulerKeepsOtherConditions() throws Exception {
    Identities identities = new Identities(LabDriver.SETTINGS.user());
    try (ApiServer api = ApiServer.start(identities, new RequestLog(), "api.cluster1.example.com");
        OpenShiftClient client = api.client(identities.controlPlaneToken())) {
      ClusterSeed.seed(client, LabDriver.SETTINGS, Set.of());
      PodScheduler scheduler = new PodScheduler(client, new EventRecorder(client), NS);
      PodCondition gate = cond("example.com/Gate", "True");
      client.pods().inNamespace(NS).resource(pod("unbound", "no-such-claim", gate)).create();
      client.pods().inNamespace(NS).resource(pod("free", null, gate)).create();

      scheduler.reconcile();
      Pod unbound = client.pods().inNamespace(NS).withName("unbound").get();
      assertThat(unbound.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(unbound.getStatus().getConditions()).extracting("type", "status", "reason").containsExactly(
          Tuple.tuple("example.com/Gate", "True", null),
          Tuple.tuple("PodScheduled", "False", "Unschedulable"));
      Pod free = client.pods().inNamespace(NS).withName("free").get();
      assertThat(free.getSpec().getNodeName()).isIn(LabDriver.SETTINGS.nodes());
      assertThat(free.getStatus().getConditions()).extracting("type", "status").containsExactly(
          Tuple.tuple("example.com/Gate", "True"),
          Tuple.tuple("PodScheduled", "True"));

      scheduler.reconcile();
      assertThat(client.pods().inNamespace(NS).withName("unbound").get().getMetadata().getResourceVersion())
          .as("an unchanged verdict is not written again")
          .isEqualTo(unbound.getMetadata().getResourceVersion());
    }
  }

  private static Pod pod(String name, String claim, PodCondition condition) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("example.com/c:1").endContainer().endSpec()
        .withNewStatus().withPhase("Pending").addToConditions(condition).endStatus();
    if (claim != null) {
      pod.editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
          .endPersistentVolumeClaim().endVolume().endSpec();
    }
    return pod.build();
  }

  private static PodCondition cond(String type, String status) {
    return new PodConditionBuilder().withType(type).withStatus(status)
        .withLastTransitionTime("2026-01-01T00:00:00Z").build();
  }
}
