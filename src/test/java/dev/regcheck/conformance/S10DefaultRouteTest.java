package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThatChain;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.assertions.Yaml;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.DefaultRouteStep;
import dev.regcheck.fixture.RegistryAccessStep;
import dev.regcheck.fixture.RouteAccess;
import dev.regcheck.fixture.RoutePush;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.tls.Certificates;
import dev.regcheck.wait.Wait;
import io.fabric8.openshift.api.model.Route;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import dev.regcheck.result.Status;
import java.util.ArrayList;

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
    var config = step.config().orElseThrow(() -> new CheckFailure("configs.imageregistry.operator.openshift.io/"
        + lab.profile().registry().config() + " does not exist"));
    if (!Boolean.TRUE.equals(config.getSpec().getDefaultRoute())) {
      throw new CheckFailure("spec.defaultRoute is " + (config.getSpec().getDefaultRoute() == null ? "not set (false)" : "false")
          + ": the operator makes no default route", List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(config))));
    }
    String host = step.expectedHost();
    Route route = Wait.named("route " + DefaultRouteStep.ROUTE + " in " + step.namespace() + " admitted by the router",
            () -> step.route().orElse(null))
        .until(r -> r != null && DefaultRouteStep.admitted(r))
        .failFastWhen(r -> r == null ? Optional.empty() : DefaultRouteStep.admission(r)
            .filter(c -> "False".equals(c.getStatus()))
            .map(c -> "the router rejected it: " + c.getReason() + ": " + c.getMessage()))
        .describedBy(r -> r == null ? "no route " + DefaultRouteStep.ROUTE + " yet"
            : "route with host " + r.getSpec().getHost() + ", not admitted yet")
        .withEvidence(r -> r == null ? List.of() : List.of(new CheckFailure.Evidence("route.yaml", Yaml.of(r))))
        .within(lab.profile().timeouts().settle(), lab.profile().timeouts().poll())
        .await();
    List<String> wrong = new ArrayList<>();
    if (!host.equals(route.getSpec().getHost())) {
      wrong.add("host is " + route.getSpec().getHost() + ", expected " + host);
    }
    String termination = route.getSpec().getTls() == null ? null : route.getSpec().getTls().getTermination();
    if (!"reencrypt".equals(termination)) {
      wrong.add("termination is " + termination + ", expected reencrypt");
    }
    if (!wrong.isEmpty()) {
      throw new CheckFailure("route " + DefaultRouteStep.ROUTE + ": " + String.join("; ", wrong),
          List.of(new CheckFailure.Evidence("route.yaml", Yaml.of(route))));
    }
  }

  @Check("S10.2")
  void hostIsPublished(DefaultRouteStep step, RunSession lab) {
    step.requireChosen();
    String host = step.expectedHost();
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
    lab.note("ingress CA from " + ca.source() + ": " + Certificates.subject(ca.certificates().get(ca.certificates().size() - 1)));
  }

  @Check("S10.4")
  void pushAndPullThroughTheRoute(DefaultRouteStep step, RouteAccess routes, RegistryAccessStep access, RunSession lab)
      throws IOException {
    step.requireChosen();
    String host = step.expectedHost();
    RoutePush.through(lab, access, routes, host, step.ingressCa().certificates(), "default-route");
  }
}
