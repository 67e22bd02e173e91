package dev.regcheck.lab.kube;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.WellKnown;

/**
 * kube-controller-manager's deployment, replicaset and garbage-collector controllers for the
 * registry Deployment (pods labelled {@code docker-registry=default}) only. As on a cluster, a
 * ReplicaSet counts only its active pods: a Failed or Succeeded pod (an evicted one) is replaced
 * and stays listed (the pod garbage collector keeps thousands), a deleted pod stays Terminating
 * until its kubelet has stopped it, and an old ReplicaSet is scaled to zero and kept, with its
 * revision. Differences: a changed pod template replaces all old pods at once (no surge), and
 * other Deployments get no pods.
 */
public final class DeploymentController implements Controller {
  static final String HASH_LABEL = "pod-template-hash";
  static final String REVISION = "deployment.kubernetes.io/revision";
  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

  private final KubernetesClient client;
  private final String namespace;
  private boolean evictedHistory;

  public DeploymentController(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * evicted-registry-pod: the first rollout finds the history of an earlier one, a ReplicaSet
   * scaled to zero whose last pod the kubelet evicted (Failed, reason Evicted) and which is still listed.
   */
  public DeploymentController withEvictedHistory() {
    evictedHistory = true;
    return this;
  }

  @Override
  public void reconcile() {
    List<Pod> pods = registryPods();
    List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(namespace)
        .withLabel("docker-registry", "default").list().getItems();
    Set<String> liveHashes = new HashSet<>();
    Set<String> owners = new HashSet<>();
    for (Deployment deploy : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      Map<String, String> labels = deploy.getSpec().getTemplate().getMetadata().getLabels();
      if (labels == null || !WellKnown.REGISTRY_POD_LABELS.equals(Map.of("docker-registry",
          labels.getOrDefault("docker-registry", "")))) {
        continue;
      }
      owners.add(deploy.getMetadata().getUid());
      String hash = templateHash(deploy.getSpec().getTemplate());
      liveHashes.add(hash);
      sync(deploy, hash, pods, sets);
    }
    Set<String> setsLeft = new HashSet<>();
    for (ReplicaSet rs : sets) {
      String hash = rs.getMetadata().getLabels().get(HASH_LABEL);
      if (!owners.contains(ownerUid(rs.getMetadata().getOwnerReferences()))) {
        // the garbage collector: a ReplicaSet whose Deployment is gone goes, and its pods with it
        client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).delete();
      } else if (!liveHashes.contains(hash)) {
        setsLeft.add(rs.getMetadata().getUid());
        retire(rs, pods);
      } else {
        setsLeft.add(rs.getMetadata().getUid());
      }
    }
    for (Pod pod : pods) {
      String owner = ownerUid(pod.getMetadata().getOwnerReferences());
      if (owner.isEmpty()) {
        continue; // a pod nobody controls (made by hand): no ReplicaSet claims it, the collector leaves it
      }
      boolean orphan = !setsLeft.contains(owner);
      if (pod.getMetadata().getDeletionTimestamp() == null
          && (orphan || (active(pod) && !liveHashes.contains(hashOf(pod))))) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
      }
    }
  }

  private static String ownerUid(List<OwnerReference> references) {
    return references == null ? "" : references.stream().filter(r -> Boolean.TRUE.equals(r.getController()))
        .map(OwnerReference::getUid).findFirst().orElse("");
  }

  /** Not terminal and not terminating: what a ReplicaSet counts. */
  static boolean active(Pod pod) {
    String phase = pod.getStatus() == null ? "" : String.valueOf(pod.getStatus().getPhase());
    return pod.getMetadata().getDeletionTimestamp() == null && !phase.equals("Failed") && !phase.equals("Succeeded");
  }

  /** An old ReplicaSet: scaled to zero (its active pods are deleted by the caller), kept as history. */
  private void retire(ReplicaSet rs, List<Pod> pods) {
    String hash = rs.getMetadata().getLabels().get(HASH_LABEL);
    List<Pod> left = pods.stream().filter(p -> hash.equals(hashOf(p)) && active(p)).toList();
    writeReplicaSetStatus(rs, 0, left.size(), (int) left.stream().filter(DeploymentController::ready).count());
  }

  private List<Pod> registryPods() {
    return client.pods().inNamespace(namespace).withLabel("docker-registry", "default").list()
        .getItems().stream().filter(p -> "default".equals(p.getMetadata().getLabels().get("docker-registry")))
        .toList();
  }

  private void sync(Deployment deploy, String hash, List<Pod> pods, List<ReplicaSet> sets) {
    String rsName = deploy.getMetadata().getName() + "-" + hash;
    int desired = Optional.ofNullable(deploy.getSpec().getReplicas()).orElse(1);
    ReplicaSet rs = sets.stream().filter(r -> r.getMetadata().getName().equals(rsName)).findFirst().orElse(null);
    if (rs == null) {
      int revision = (evictedHistory && sets.isEmpty() ? evictedEarlierRollout(deploy)
          : sets.stream().mapToInt(DeploymentController::revision).max().orElse(0)) + 1;
      rs = client.apps().replicaSets().inNamespace(namespace).resource(replicaSet(deploy, rsName, hash, revision))
          .create();
    }
    List<Pod> current = new ArrayList<>();
    for (Pod pod : pods) {
      if (hash.equals(hashOf(pod)) && active(pod)) {
        current.add(pod);
      }
    }
    for (int i = current.size(); i < desired; i++) {
      current.add(client.pods().inNamespace(namespace).resource(newPod(deploy, rs, rsName, hash)).create());
    }
    while (current.size() > desired) {
      Pod extra = current.stream().filter(p -> !ready(p)).findFirst().orElse(current.get(current.size() - 1));
      client.pods().inNamespace(namespace).withName(extra.getMetadata().getName()).delete();
      current.remove(extra);
    }
    long old = pods.stream().filter(p -> !hashOf(p).isEmpty() && !hash.equals(hashOf(p)) && active(p)).count();
    int readyCount = (int) current.stream().filter(DeploymentController::ready).count();
    writeReplicaSetStatus(rs, desired, current.size(), readyCount);
    writeDeploymentStatus(deploy, rsName, desired, current.size(), (int) old, readyCount);
  }

  private static int revision(ReplicaSet rs) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    try {
      return annotations == null ? 0 : Integer.parseInt(annotations.getOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * evicted-registry-pod: revision 1 of the Deployment (its template with another log level),
   * scaled to zero, and its pod as the kubelet left it after evicting it two days ago. Returns the
   * revision it used.
   */
  private int evictedEarlierRollout(Deployment deploy) {
    Deployment earlier = Serialization.clone(deploy);
    earlier.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("imageregistry.operator.openshift.io/"
        + "dependencies-checksum", "sha256:" + "0".repeat(64)));
    String hash = templateHash(earlier.getSpec().getTemplate());
    String name = deploy.getMetadata().getName() + "-" + hash;
    ReplicaSet old = client.apps().replicaSets().inNamespace(namespace)
        .resource(replicaSet(earlier, name, hash, 1)).create();
    writeReplicaSetStatus(old, 0, 0, 0);
    Pod evicted = newPod(earlier, old, name, hash);
    evicted.getSpec().setNodeName(client.nodes().list().getItems().get(0).getMetadata().getName());
    Pod pod = client.pods().inNamespace(namespace).resource(evicted).create();
    String evictedAt = Times.format(Instant.now().minus(Duration.ofDays(2)));
    pod.setStatus(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
        .withMessage("The node was low on resource: ephemeral-storage. Threshold quantity: 12738360113, available: "
            + "11890408Ki. Container registry was using 2147520Ki, request is 0, has larger consumption of "
            + "ephemeral-storage.")
        .addNewCondition().withType("DisruptionTarget").withStatus("True").withReason("TerminationByKubelet")
        .withMessage("The node was low on resource: ephemeral-storage.").withLastTransitionTime(evictedAt).endCondition()
        .addNewCondition().withType("Ready").withStatus("False").withReason("PodFailed")
        .withLastTransitionTime(evictedAt).endCondition()
        .addNewContainerStatus().withName("registry").withImage(deploy.getSpec().getTemplate().getSpec().getContainers()
            .get(0).getImage()).withReady(false).withRestartCount(0).withNewState().withNewTerminated()
        .withExitCode(137).withReason("ContainerStatusUnknown").withMessage("The container could not be located when "
            + "the pod was terminated").withFinishedAt(evictedAt).endTerminated().endState().endContainerStatus()
        .withQosClass("Burstable").withStartTime(Times.format(Instant.now().minus(Duration.ofDays(3)))).build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
    return 1;
  }

  private void writeReplicaSetStatus(ReplicaSet rs, int desired, int replicas, int ready) {
    ReplicaSet update = Serialization.clone(rs);
    update.getSpec().setReplicas(desired);
    update.setStatus(new ReplicaSetStatusBuilder()
        .withReplicas(replicas).withFullyLabeledReplicas(replicas).withReadyReplicas(ready)
        .withAvailableReplicas(ready).withObservedGeneration(rs.getMetadata().getGeneration()).build());
    if (!Serialization.asJson(update.getStatus()).equals(Serialization.asJson(rs.getStatus()))
        || !Objects.equals(rs.getSpec().getReplicas(), desired)) {
      client.apps().replicaSets().inNamespace(namespace).resource(update).update();
    }
  }

  private void writeDeploymentStatus(Deployment deploy, String rsName, int desired, int updated,
      int old, int ready) {
    DeploymentStatus previous = deploy.getStatus();
    int total = updated + old;
    boolean complete = updated == desired && ready >= desired && old == 0;
    List<DeploymentCondition> conditions = new ArrayList<>();
    boolean minimum = ready >= desired - maxUnavailable(deploy, desired);
    conditions.add(condition(previous, "Available", minimum ? "True" : "False",
        minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        minimum ? "Deployment has minimum availability." : "Deployment does not have minimum availability."));
    conditions.add(progressing(deploy, previous, rsName, complete));
    DeploymentStatus status = new DeploymentStatusBuilder().withObservedGeneration(
        deploy.getMetadata().getGeneration()).withReplicas(total).withUpdatedReplicas(updated)
        .withReadyReplicas(ready == 0 ? null : ready).withAvailableReplicas(ready == 0 ? null : ready)
        .withUnavailableReplicas(total - ready > 0 ? total - ready : null)
        .withConditions(conditions).build();
    if (!Serialization.asJson(status).equals(previous == null ? "" : Serialization.asJson(previous))) {
      Deployment update = Serialization.clone(deploy);
      update.setStatus(status);
      client.apps().deployments().inNamespace(namespace).resource(update).updateStatus();
    }
  }

  private static DeploymentCondition progressing(Deployment deploy, DeploymentStatus previous,
      String rsName, boolean complete) {
    if (complete) {
      return condition(previous, "Progressing", "True", "NewReplicaSetAvailable",
          "ReplicaSet \"" + rsName + "\" has successfully progressed.");
    }
    Optional<DeploymentCondition> before = find(previous, "Progressing");
    if (before.isPresent() && "ProgressDeadlineExceeded".equals(before.get().getReason())
        && before.get().getMessage().contains(rsName)) {
      return before.get();
    }
    DeploymentCondition updating = condition(previous, "Progressing", "True", "ReplicaSetUpdated",
        "ReplicaSet \"" + rsName + "\" is progressing.");
    int deadline = Optional.ofNullable(deploy.getSpec().getProgressDeadlineSeconds()).orElse(600);
    if (Duration.between(Times.parse(updating.getLastUpdateTime()), Instant.now())
        .compareTo(Duration.ofSeconds(deadline)) > 0) {
      return condition(previous, "Progressing", "False", "ProgressDeadlineExceeded",
          "ReplicaSet \"" + rsName + "\" has timed out progressing.");
    }
    return updating;
  }

  /** A condition keeping its timestamps while nothing about it changed. */
  private static DeploymentCondition condition(DeploymentStatus previous, String type, String status,
      String reason, String message) {
    String now = Times.now();
    Optional<DeploymentCondition> before = find(previous, type);
    String transition = before.filter(c -> status.equals(c.getStatus()))
        .map(DeploymentCondition::getLastTransitionTime).orElse(now);
    String update = before.filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason())
        && message.equals(c.getMessage())).map(DeploymentCondition::getLastUpdateTime).orElse(now);
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message).withLastTransitionTime(transition).withLastUpdateTime(update).build();
  }

  private static Optional<DeploymentCondition> find(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static int maxUnavailable(Deployment deploy, int desired) {
    if (deploy.getSpec().getStrategy() == null || deploy.getSpec().getStrategy().getRollingUpdate() == null) {
      return 0;
    }
    IntOrString value = deploy.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable();
    if (value == null) {
      return desired / 4;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String percent = value.getStrVal().replace("%", "");
    return Integer.parseInt(percent) * desired / 100;
  }

  private ReplicaSet replicaSet(Deployment deploy, String name, String hash, int revision) {
    PodTemplateSpec template = Serialization.clone(deploy.getSpec().getTemplate());
    template.getMetadata().setLabels(withHash(template.getMetadata().getLabels(), hash));
    return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .withLabels(withHash(deploy.getSpec().getTemplate().getMetadata().getLabels(), hash))
        .addToAnnotations("deployment.kubernetes.io/desired-replicas",
            String.valueOf(Optional.ofNullable(deploy.getSpec().getReplicas()).orElse(1)))
        .addToAnnotations(REVISION, String.valueOf(revision))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
            .withName(deploy.getMetadata().getName()).withUid(deploy.getMetadata().getUid())
            .withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata().withNewSpec().withReplicas(deploy.getSpec().getReplicas())
        .withNewSelector().withMatchLabels(withHash(deploy.getSpec().getSelector().getMatchLabels(), hash))
        .endSelector().withTemplate(template).endSpec().build();
  }

  private Pod newPod(Deployment deploy, ReplicaSet rs, String rsName, String hash) {
    PodTemplateSpec template = deploy.getSpec().getTemplate();
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(SAFE.charAt(ThreadLocalRandom.current().nextInt(SAFE.length())));
    }
    return new PodBuilder().withNewMetadata().withName(rsName + "-" + suffix).withNamespace(namespace)
        .withLabels(withHash(template.getMetadata().getLabels(), hash))
        .withAnnotations(template.getMetadata().getAnnotations())
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
            .withName(rsName).withUid(rs.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(true).build())
        .endMetadata().withSpec(Serialization.clone(template.getSpec()))
        .withNewStatus().withPhase("Pending").withQosClass("Burstable").endStatus().build();
  }

  static String hashOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(HASH_LABEL, "");
  }

  public static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Map<String, String> withHash(Map<String, String> labels, String hash) {
    Map<String, String> copy = labels == null ? new HashMap<>() : new HashMap<>(labels);
    copy.put(HASH_LABEL, hash);
    return copy;
  }

  /** controller.ComputeHash: FNV-32a of the template, in the "safe" alphabet. */
  static String templateHash(PodTemplateSpec template) {
    int hash = 0x811c9dc5;
    for (byte b : Serialization.asJson(template).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    long value = hash & 0xffffffffL;
    StringBuilder out = new StringBuilder();
    String digits = Long.toString(value);
    for (char c : digits.toCharArray()) {
      out.append(SAFE.charAt((c - '0' + out.length() * 7) % SAFE.length()));
    }
    return out.toString();
  }
}
