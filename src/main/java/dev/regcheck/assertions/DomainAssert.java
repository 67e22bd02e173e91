package dev.regcheck.assertions;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import java.util.Collection;

/**
 * Base of the domain assertions: every failure is a {@link CheckFailure} whose summary says what
 * is wrong and whose evidence is the object (as YAML) it looked at, plus anything added with
 * {@link #withEvidence}.
 */
public abstract class DomainAssert<SELF extends DomainAssert<SELF, A>, A> extends AbstractAssert<SELF, A> {

  private final List<CheckFailure.Evidence> extra = new ArrayList<>();

  protected DomainAssert(A actual, Class<?> selfType) {
    super(actual, selfType);
  }

  /** Attaches more evidence to any failure that follows (events, related objects). */
  public SELF withEvidence(String name, String text) {
    extra.add(new CheckFailure.Evidence(name, text));
    return myself;
  }

  protected CheckFailure failure(String summary) {
    List<CheckFailure.Evidence> evidence = new ArrayList<>();
    if (attachActualAsYaml() && actual != null && !(actual instanceof Collection<?> c && c.isEmpty())) {
      String name = actual instanceof HasMetadata h ? Yaml.ref(h) + ".yaml" : "object.yaml";
      evidence.add(new CheckFailure.Evidence(name, Yaml.of(actual)));
    }
    evidence.addAll(extra);
    return new CheckFailure(summary, evidence);
  }

  /** Whether a failure attaches the object as YAML (a certificate chain is dumped as text instead). */
  protected boolean attachActualAsYaml() {
    return true;
  }

  protected void check(boolean ok, String summary) {
    if (!ok) {
      throw failure(summary);
    }
  }

  /** Fails naming every deviation at once ("each deviation named"). */
  protected void noDeviations(String what, List<String> deviations) {
    if (!deviations.isEmpty()) {
      throw failure(what + ": " + String.join("; ", deviations));
    }
  }

  protected SELF present(String what) {
    if (actual == null) {
      throw new CheckFailure(what + " does not exist");
    }
    return myself;
  }
}
