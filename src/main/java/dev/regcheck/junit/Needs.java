package dev.regcheck.junit;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.CheckDef;
import dev.regcheck.result.Status;
import dev.regcheck.result.Text;
import dev.regcheck.session.RunSession;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * The other half of {@link dev.regcheck.catalog.Need}: a check whose object is absent asks here
 * whether an earlier check explains the absence. Only then is it BLOCKED (or SKIPPED, when that
 * check was); otherwise the absence is the check's own verdict, and the check goes on to judge it
 * or wait for it.
 */
public final class Needs {
  private Needs() {}

  /**
   * Returns when {@code present}, or when no check that {@code checkId} names in
   * {@link CheckDef#absenceExplainedBy()} failed; throws {@link Blocked} naming the first that did
   * (its own root cause when it was blocked in turn).
   */
  public static void present(RunSession lab, String checkId, boolean present, String what) {
    if (present) {
      return;
    }
    for (String guard : Catalog.get(checkId).absenceExplainedBy()) {
      Optional<Status> outcome = lab.outcome(guard);
      if (outcome.isEmpty() || outcome.get() == Status.PASS || outcome.get() == Status.WARN) {
        continue;
      }
      if (outcome.get() == Status.SKIP) {
        throw new TestAbortedException(what + " does not exist and " + guard + " was skipped: "
            + Text.firstLine(lab.reason(guard)));
      }
      String root = lab.rootCause(guard);
      throw Blocked.by(root, guard, what + " does not exist (" + root + " "
          + lab.outcome(root).map(Status::name).orElse("did not pass") + ": " + Text.firstLine(lab.reason(root)) + ")");
    }
  }
}
