package dev.regcheck.assertions;

import java.util.List;

/** Navigation into a status's conditions: {@code conditions().singleOfType("Available").hasStatus("True")}. */
public final class ConditionsAssert extends DomainAssert<ConditionsAssert, List<Cond>> {
  private final String owner;

  ConditionsAssert(List<Cond> conditions, String owner) {
    super(conditions, ConditionsAssert.class);
    this.owner = owner;
  }

  public ConditionAssert singleOfType(String type) {
    Cond c = Cond.find(actual, type).orElseThrow(() ->
        failure(owner + " has no condition " + type + "; it has " + actual));
    return new ConditionAssert(c, owner);
  }

  /** The condition assertion. */
  public static final class ConditionAssert extends DomainAssert<ConditionAssert, Cond> {
    private final String owner;

    ConditionAssert(Cond c, String owner) {
      super(c, ConditionAssert.class);
      this.owner = owner;
    }

    public ConditionAssert hasStatus(String status) {
      check(actual.is(status), owner + " condition " + actual.type() + " is " + actual + ", expected " + status);
      return this;
    }

    public ConditionAssert hasReason(String reason) {
      check(reason.equals(actual.reason()), owner + " condition " + actual + " has reason " + actual.reason()
          + ", expected " + reason);
      return this;
    }
  }
}
