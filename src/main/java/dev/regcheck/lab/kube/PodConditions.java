package dev.regcheck.lab.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pod's {@code status.conditions} addressed by type, never by position, as the components that
 * own a condition type update it in Kubernetes: each writes its own types and leaves the others'.
 */
public final class PodConditions {
  private PodConditions() {}

  /** The pod's condition of that type, if it has one. */
  public static Optional<PodCondition> find(Pod pod, String type) {
    return list(pod).stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * A copy of the pod's conditions with {@code condition} in place of the one of the same type
   * (at its position), or appended when the pod has none of that type. Other types are kept.
   */
  public static List<PodCondition> upsert(Pod pod, PodCondition condition) {
    List<PodCondition> result = new ArrayList<>();
    boolean replaced = false;
    for (PodCondition c : list(pod)) {
      if (condition.getType().equals(c.getType())) {
        if (!replaced) {
          result.add(condition);
          replaced = true;
        }
      } else {
        result.add(c);
      }
    }
    if (!replaced) {
      result.add(condition);
    }
    return result;
  }

  private static List<PodCondition> list(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of()
        : pod.getStatus().getConditions();
  }
}
