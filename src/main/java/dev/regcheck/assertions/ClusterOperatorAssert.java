package dev.regcheck.assertions;

import io.fabric8.openshift.api.model.config.v1.ClusterOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Assertions on a ClusterOperator as {@code oc get co} shows it (S05.3). */
public final class ClusterOperatorAssert extends DomainAssert<ClusterOperatorAssert, ClusterOperator> {

  ClusterOperatorAssert(ClusterOperator co) {
    super(co, ClusterOperatorAssert.class);
  }

  public List<Cond> conditionList() {
    return actual.getStatus() == null ? List.of() : Cond.ofClusterOperator(actual.getStatus().getConditions());
  }

  public ConditionsAssert conditions() {
    return new ConditionsAssert(conditionList(), "clusteroperator " + actual.getMetadata().getName());
  }

  /**
   * Whether Available=True, Progressing=False, Degraded=False, and not as a removed registry: a
   * Removed registry settles with Available=True reason Removed, which says no registry runs.
   */
  public static boolean settled(List<Cond> cs) {
    return is(cs, "Available", "True") && is(cs, "Progressing", "False") && is(cs, "Degraded", "False")
        && !removed(cs);
  }

  private static boolean removed(List<Cond> cs) {
    return Cond.find(cs, "Available").map(c -> "Removed".equals(c.reason())).orElse(false);
  }

  private static boolean is(List<Cond> cs, String type, String status) {
    return Cond.find(cs, type).map(c -> c.is(status)).orElse(false);
  }

  /** The three columns of {@code oc get co}, as one line. */
  public static String columns(List<Cond> cs) {
    List<String> out = new ArrayList<>();
    for (String t : List.of("Available", "Progressing", "Degraded")) {
      Optional<Cond> c = Cond.find(cs, t);
      out.add(c.map(Cond::toString).orElse(t + " absent"));
    }
    return String.join("; ", out);
  }

  public ClusterOperatorAssert isSettled() {
    check(settled(conditionList()), "clusteroperator " + actual.getMetadata().getName() + " has not settled: "
        + columns(conditionList()) + (removed(conditionList())
            ? " — Available with reason Removed: the operator reports the registry removed, no registry runs" : ""));
    return this;
  }
}
