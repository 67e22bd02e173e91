package dev.regcheck.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.EventRecorder;

/**
 * kube-scheduler, reduced to the VolumeBinding filter: a pod whose claims are missing or not Bound
 * stays Pending/Unschedulable with a FailedScheduling event; otherwise it goes to the Ready node
 * with the fewest pods (no resources, affinity or taints are considered).
 */
public final class PodScheduler implements Controller {
  private static final String COMPONENT = "default-scheduler";
  private final KubernetesClient client;
  private final EventRecorder events;
  private final String namespace;

  public PodScheduler(KubernetesClient client, EventRecorder events, String namespace) {
    this.client = client;
    this.events = events;
    this.namespace = namespace;
  }

  @Override
  public void reconcile() {
    List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
    List<Node> nodes = client.nodes().list().getItems().stream().filter(PodScheduler::nodeReady).toList();
    for (Pod pod : pods) {
      if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()
          || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Optional<String> problem = volumeProblem(pod);
      int n = nodes.size();
      if (problem.isPresent() || n == 0) {
        String reason = problem.orElse("no nodes available to schedule pods");
        String message = "0/" + n + " nodes are available: " + reason + ". preemption: 0/" + n
            + " nodes are available: " + n + " Preemption is not helpful for scheduling.";
        unschedulable(pod, message);
        continue;
      }
      Node node = nodes.stream().min(Comparator.comparingLong(nd -> pods.stream()
          .filter(p -> nd.getMetadata().getName().equals(p.getSpec().getNodeName())).count())).get();
      Pod update = Serialization.clone(pod);
      update.getSpec().setNodeName(node.getMetadata().getName());
      if (update.getStatus() == null) {
        update.setStatus(new PodStatus());
      }
      update.getStatus().setConditions(PodConditions.upsert(pod, scheduled("True", null, null, pod)));
      client.pods().inNamespace(namespace).resource(update).update();
      events.normal(pod, COMPONENT, null, "Scheduled", "Successfully assigned " + namespace + "/"
          + pod.getMetadata().getName() + " to " + node.getMetadata().getName());
    }
  }

  private Optional<String> volumeProblem(Pod pod) {
    for (Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
      if (volume.getPersistentVolumeClaim() == null) {
        continue;
      }
      String name = volume.getPersistentVolumeClaim().getClaimName();
      PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace)
          .withName(name).get();
      if (claim == null) {
        return Optional.of("persistentvolumeclaim \"" + name + "\" not found");
      }
      if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
        return Optional.of("pod has unbound immediate PersistentVolumeClaims");
      }
    }
    return Optional.empty();
  }

  private void unschedulable(Pod pod, String message) {
    PodCondition condition = scheduled("False", "Unschedulable", message, pod);
    boolean same = "Pending".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())
        && PodConditions.find(pod, "PodScheduled").map(Serialization::asJson)
            .filter(Serialization.asJson(condition)::equals).isPresent();
    if (!same) {
      Pod update = Serialization.clone(pod);
      if (update.getStatus() == null) {
        update.setStatus(new PodStatus());
      }
      update.getStatus().setPhase("Pending");
      update.getStatus().setConditions(PodConditions.upsert(pod, condition));
      client.pods().inNamespace(namespace).resource(update).update();
    }
    events.warning(pod, COMPONENT, null, "FailedScheduling", message);
  }

  private static PodCondition scheduled(String status, String reason, String message, Pod pod) {
    String since = PodConditions.find(pod, "PodScheduled").filter(c -> status.equals(c.getStatus()))
        .map(PodCondition::getLastTransitionTime).orElse(Times.now());
    return new PodConditionBuilder().withType("PodScheduled").withStatus(status).withReason(reason)
        .withMessage(message).withLastTransitionTime(since).build();
  }

  private static boolean nodeReady(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
