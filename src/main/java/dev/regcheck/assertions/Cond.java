package dev.regcheck.assertions;

import io.fabric8.openshift.api.model.config.v1.ClusterOperatorStatusCondition;
import io.fabric8.openshift.api.model.operator.v1.OperatorCondition;
import java.util.List;
import java.util.Optional;

/** A status condition, whichever API type it came from. */
public record Cond(String type, String status, String reason, String message) {

  static Cond of(OperatorCondition c) {
    return new Cond(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
  }

  static Cond of(ClusterOperatorStatusCondition c) {
    return new Cond(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
  }

  public static List<Cond> ofOperator(List<OperatorCondition> cs) {
    return cs == null ? List.of() : cs.stream().map(Cond::of).toList();
  }

  public static List<Cond> ofClusterOperator(List<ClusterOperatorStatusCondition> cs) {
    return cs == null ? List.of() : cs.stream().map(Cond::of).toList();
  }

  /** The one condition of a type; never {@code get(0)}. */
  public static Optional<Cond> find(List<Cond> conditions, String type) {
    List<Cond> found = conditions.stream().filter(c -> type.equals(c.type())).toList();
    if (found.size() > 1) {
      throw new IllegalStateException("condition " + type + " appears " + found.size() + " times");
    }
    return found.stream().findFirst();
  }

  public boolean is(String wanted) {
    return wanted.equals(status);
  }

  @Override
  public String toString() {
    return type + "=" + status + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")")
        + (message == null || message.isEmpty() ? "" : ": " + message.replace('\n', ' '));
  }
}
