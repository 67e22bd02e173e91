package dev.regcheck.lab.operators;

import io.fabric8.openshift.api.model.operator.v1.OperatorCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The conditions one operator sync wants, last write per type wins (as repeated
 * {@code util.UpdateCondition} calls do), merged into the stored list at the end so that
 * {@code lastTransitionTime} moves only when a condition's status really changes — unless
 * {@code restamp} (the OPERATOR_HOTLOOP bug): then every merge stamps every wanted condition with
 * {@code now}, so the status differs from the stored one each second and is written back forever.
 */
final class DesiredConditions {
  record Cond(String type, String status, String reason, String message) {}

  private final Map<String, Cond> wanted = new LinkedHashMap<>();
  private final boolean restamp;

  DesiredConditions(boolean restamp) {
    this.restamp = restamp;
  }

  void set(String type, String status, String reason, String message) {
    wanted.put(type, new Cond(type, status, reason == null ? "" : reason,
        message == null ? "" : message));
  }

  Optional<Cond> get(String type) {
    return Optional.ofNullable(wanted.get(type));
  }

  /** The stored conditions updated with the wanted ones; unknown types are appended. */
  List<OperatorCondition> mergeInto(List<OperatorCondition> stored, String now) {
    List<OperatorCondition> result = new ArrayList<>();
    Map<String, Cond> pending = new LinkedHashMap<>(wanted);
    for (OperatorCondition old : stored == null ? List.<OperatorCondition>of() : stored) {
      Cond cond = pending.remove(old.getType());
      if (cond == null) {
        result.add(old);
        continue;
      }
      String since = !restamp && cond.status().equals(old.getStatus())
          && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : now;
      result.add(condition(cond, since));
    }
    pending.values().forEach(cond -> result.add(condition(cond, now)));
    return result;
  }

  private static OperatorCondition condition(Cond cond, String since) {
    OperatorCondition c = new OperatorCondition();
    c.setType(cond.type());
    c.setStatus(cond.status());
    c.setReason(cond.reason().isEmpty() ? null : cond.reason());
    c.setMessage(cond.message().isEmpty() ? null : cond.message());
    c.setLastTransitionTime(since);
    return c;
  }
}
