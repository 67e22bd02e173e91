package dev.regcheck.lab.operators;

import io.fabric8.openshift.api.model.config.v1.ClusterOperatorStatusCondition;
import io.fabric8.openshift.api.model.config.v1.ObjectReference;
import io.fabric8.openshift.api.model.config.v1.ObjectReferenceBuilder;
import io.fabric8.openshift.api.model.operator.v1.OperatorCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How CIRO derives ClusterOperator {@code image-registry} (pkg/resource/clusteroperator.go): per
 * Available/Progressing/Degraded, the union of the Config's conditions and the image pruner's
 * (prefixed {@code ImagePruner}). The lab has no pruner controller; its conditions are the steady
 * state of a pruner that created its CronJob.
 */
final class ClusterOperatorDerivation {
  private static final List<OperatorCondition> PRUNER = List.of(
      cond("Available", "True", "AsExpected", "Pruner CronJob has been created"),
      cond("Degraded", "False", "AsExpected", ""));
  private static final Map<String, String> NORMAL =
      Map.of("Available", "True", "Progressing", "False", "Degraded", "False");

  private record Prefixed(String prefix, OperatorCondition condition) {}

  private ClusterOperatorDerivation() {}

  private static OperatorCondition cond(String type, String status, String reason, String message) {
    OperatorCondition c = new OperatorCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    return c;
  }

  /** The three ClusterOperator conditions; transition times kept from {@code previous} when unchanged. */
  static List<ClusterOperatorStatusCondition> derive(List<OperatorCondition> config,
      List<ClusterOperatorStatusCondition> previous, String now) {
    List<ClusterOperatorStatusCondition> result = new ArrayList<>();
    for (String type : List.of("Available", "Progressing", "Degraded")) {
      String normal = NORMAL.get(type);
      String status = normal;
      List<String> reasons = new ArrayList<>();
      List<String> messages = new ArrayList<>();
      boolean decided = false;
      List<Prefixed> union = new ArrayList<>();
      config.stream().filter(c -> c.getType().endsWith(type))
          .forEach(c -> union.add(new Prefixed("", c)));
      PRUNER.stream().filter(c -> c.getType().endsWith(type))
          .forEach(c -> union.add(new Prefixed("ImagePruner", c)));
      for (Prefixed entry : union) {
        String prefix = entry.prefix();
        OperatorCondition c = entry.condition();
        if (!decided && !normal.equals(c.getStatus())) {
          status = c.getStatus();
          decided = true;
        }
        String reason = c.getReason() == null ? "" : c.getReason();
        if (!reason.isEmpty() && !reason.equals("AsExpected")) {
          reasons.add(prefix + reason);
        }
        if (c.getMessage() != null && !c.getMessage().isEmpty()) {
          messages.add(prefix + c.getType() + ": " + c.getMessage());
        }
      }
      reasons.sort(null);
      String reason = String.join("::", reasons);
      if (reason.isEmpty() && status.equals(normal)) {
        reason = "AsExpected";
      }
      ClusterOperatorStatusCondition co = new ClusterOperatorStatusCondition();
      co.setType(type);
      co.setStatus(status);
      co.setReason(reason.isEmpty() ? null : reason);
      co.setMessage(messages.isEmpty() ? null : String.join("\n", messages));
      String finalStatus = status;
      co.setLastTransitionTime(previous == null ? now : previous.stream()
          .filter(p -> type.equals(p.getType()) && Objects.equals(finalStatus, p.getStatus()))
          .map(ClusterOperatorStatusCondition::getLastTransitionTime).filter(Objects::nonNull)
          .findFirst().orElse(now));
      result.add(co);
    }
    return result;
  }

  static List<ObjectReference> relatedObjects(String namespace) {
    return List.of(
        ref("imageregistry.operator.openshift.io", "configs", null, "cluster"),
        ref("imageregistry.operator.openshift.io", "imagepruners", null, "cluster"),
        ref("rbac.authorization.k8s.io", "clusterroles", null, "system:registry"),
        ref("rbac.authorization.k8s.io", "clusterrolebindings", null, "registry-registry-role"),
        ref("rbac.authorization.k8s.io", "clusterroles", null, "openshift-image-registry-pruner"),
        ref("rbac.authorization.k8s.io", "clusterrolebindings", null,
            "openshift-image-registry-pruner"),
        ref("", "namespaces", null, namespace));
  }

  private static ObjectReference ref(String group, String resource, String ns, String name) {
    return new ObjectReferenceBuilder().withGroup(group).withResource(resource).withNamespace(ns)
        .withName(name).build();
  }
}
