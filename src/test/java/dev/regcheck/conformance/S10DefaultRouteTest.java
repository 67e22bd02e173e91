package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThat;
import static dev.regcheck.assertions.RegistryAssertions.assertThatChain;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.DefaultRouteStep;
import dev.regcheck.fixture.RegistryAccessStep;
import dev.regcheck.fixture.RouteAccess;
import dev.regcheck.fixture.RoutePush;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Needs;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.tls.Certificates;
import io.fabric8.openshift.api.model.Route;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import dev.regcheck.result.Status;

/**
 * S10: the default route. {@code oc patch … defaultRoute:true}; the operator makes route
 * {@code default-route} (reencrypt, host generated as {@code default-route-<ns>.<apps domain>}),
 * publishes the host in the image config, and the router serves it with the ingress certificate
 * (openshift-facts.md §2.7, §9).
 */
@Conformance(Step.S10)
class S10DefaultRouteTest {

  @Check("S10.1")
  void defaultRouteIsAdmitted(DefaultRouteStep step, RunSession lab) {
    step.requireChosen();
    Needs.present(lab, "S10.1", step.config().isPresent(), "configs.imageregistry.operator.openshift.io/"
        + lab.profile().registry().config());
    assertThat(step.config().orElse(null)).exists(lab.profile().registry().config()).hasDefaultRoute();
    // a route that exists is judged whatever the operator's state; only a missing one can be the operator's doing
    Needs.present(lab, "S10.1", step.route().isPresent(), "route " + DefaultRouteStep.ROUTE + " in " + step.namespace());
    Route route = DefaultRouteStep.awaitAdmitted(lab, DefaultRouteStep.ROUTE, step.namespace(), step::route);
    assertThat(route).reencryptsFor(step.expectedHost());
  }

  @Check("S10.2")
  void hostIsPublished(DefaultRouteStep step, RunSession lab) {
    step.requireChosen();
    String host = step.expectedHost();
    Needs.present(lab, "S10.2", step.route().isPresent(), "route " + DefaultRouteStep.ROUTE + " in " + step.namespace());
    if (lab.outcome("S08.2").filter(o -> o == Status.FAIL).isPresent()) {
      throw new CheckFailure("images.config.openshift.io/cluster publishes no hostnames at all (S08.2 failed too): "
          + "the operator's image-config controller is not publishing, so externalRegistryHostnames will not list " + host);
    }
    step.awaitExternalHostname(host);
  }

  @Check("S10.3")
  void ingressCertificateIsTrusted(DefaultRouteStep step, RouteAccess routes, RunSession lab) {
    step.requireChosen();
    String host = step.expectedHost();
    Needs.present(lab, "S10.3", step.route().filter(DefaultRouteStep::admitted).isPresent(),
        "an admitted route " + DefaultRouteStep.ROUTE + " in " + step.namespace());
    DefaultRouteStep.IngressCa ca = step.ingressCa();
    List<X509Certificate> chain;
    try {
      chain = routes.servedChain(host);
    } catch (IOException e) {
      throw new CheckFailure("no TLS handshake with " + host + " at " + routes.describe(host) + ": " + e.getMessage());
    }
    assertThatChain(chain, "the router for " + host)
        .coversHosts(host)
        .isValidAt(Instant.now())
        .chainsTo(ca.certificates(), "the ingress CA from " + ca.source(), Instant.now());
    lab.note("ingress CA from " + ca.source() + ": " + Certificates.subject(ca.certificates().get(ca.certificates().size() - 1))
        + "; served at " + routes.describe(host));
  }

  @Check("S10.4")
  void pushAndPullThroughTheRoute(DefaultRouteStep step, RouteAccess routes, RegistryAccessStep access, RunSession lab)
      throws IOException {
    step.requireChosen();
    String host = step.expectedHost();
    RoutePush.through(lab, access, routes, host, step.ingressCa().certificates(), "default-route");
  }
}
