package dev.regcheck.catalog;

/**
 * What a check needs from an earlier one, and why. A check is BLOCKED only when what it needs is
 * missing, never merely because an earlier step failed:
 * <ul>
 *   <li>{@link Kind#PASS}: the earlier check must pass (or warn) before this one means anything
 *       (the registry token of S08.5 for a push; the digest S08.7 pushed for a pull);</li>
 *   <li>{@link Kind#EXPLAINS_ABSENCE}: the check runs whatever the earlier one said; only when the
 *       object it inspects is absent (no route, no claim, no deployment) and the earlier check did
 *       not pass is it BLOCKED, naming that check as the reason the object is missing. A route that
 *       exists is judged even when the operator is Unmanaged.</li>
 * </ul>
 */
public record Need(String check, Kind kind, String why) {

  public enum Kind { PASS, EXPLAINS_ABSENCE }

  public static Need passes(String check, String why) {
    return new Need(check, Kind.PASS, why);
  }

  public static Need explainsAbsence(String check, String why) {
    return new Need(check, Kind.EXPLAINS_ABSENCE, why);
  }
}
