package dev.regcheck.assertions;

import io.fabric8.openshift.api.model.Route;
import java.util.ArrayList;
import java.util.List;

/** Assertions on a registry route (S10.1, S11.4). */
public final class RouteAssert extends DomainAssert<RouteAssert, Route> {

  RouteAssert(Route route) {
    super(route, RouteAssert.class);
  }

  /** The route serves {@code host} and re-encrypts to the service, as the operator makes it; both deviations named. */
  public RouteAssert reencryptsFor(String host) {
    List<String> wrong = new ArrayList<>();
    if (!host.equals(actual.getSpec().getHost())) {
      wrong.add("host is " + actual.getSpec().getHost() + ", expected " + host);
    }
    String termination = actual.getSpec().getTls() == null ? null : actual.getSpec().getTls().getTermination();
    if (!"reencrypt".equals(termination)) {
      wrong.add("termination is " + termination + ", expected reencrypt");
    }
    if (!wrong.isEmpty()) {
      throw new CheckFailure("route " + actual.getMetadata().getName() + ": " + String.join("; ", wrong),
          List.of(new CheckFailure.Evidence("route.yaml", Yaml.of(actual))));
    }
    return this;
  }
}
