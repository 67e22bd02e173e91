package dev.regcheck.conformance;

import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.catalog.Step;
import dev.regcheck.client.ApiTrust;
import dev.regcheck.client.OAuthLogin;
import dev.regcheck.fixture.DefaultRouteStep;
import dev.regcheck.fixture.LoginStep;
import dev.regcheck.fixture.RegistryAccessStep;
import dev.regcheck.fixture.RouteAccess;
import dev.regcheck.fixture.RoutePush;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.registry.Credentials;
import dev.regcheck.tls.Certificates;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentest4j.TestAbortedException;
import dev.regcheck.junit.Blocked;
import dev.regcheck.result.Status;
import dev.regcheck.result.Text;

/**
 * S12: log in through the route, and the document's two troubleshooting cases: {@code oc login}
 * failing with {@code x509: certificate signed by unknown authority} (a kubeconfig whose CA is not
 * the API server's), and {@code no token is currently in use for this session} (S08.4, reused).
 */
@Conformance(Step.S12)
class S12LoginTest {

  @Check("S12.1")
  void apiServerCertificateVerifiesAgainstTheKubeconfig(LoginStep step, RunSession lab) {
    ApiTrust trust = step.apiTrust();
    if (trust.problem().isPresent()) {
      List<CheckFailure.Evidence> evidence = new ArrayList<>();
      if (!trust.served().isEmpty()) {
        evidence.add(new CheckFailure.Evidence("api-server-chain.txt", Certificates.dump(trust.served())));
      }
      if (!trust.anchors().isEmpty() && trust.anchors().size() < 10) {
        evidence.add(new CheckFailure.Evidence("kubeconfig-ca.txt", Certificates.dump(trust.anchors())));
      }
      throw new CheckFailure(trust.problem().get() + " — oc login and every oc command fail the same way with this "
          + "kubeconfig; restore the one the installer wrote (auth/kubeconfig)", evidence);
    }
    lab.note("the API server " + trust.server() + " verifies against " + trust.anchorSource());
  }

  @Check("S12.2")
  void passwordLoginIssuesAToken(LoginStep step, DefaultRouteStep ingress, RouteAccess routes, RunSession lab) {
    RouteAccess.skipWhereTheLabHasNoRouter(lab); // the OAuth server is reached through the router
    if (!step.logsInWithPassword()) {
      // ", so": "identity.password: this" has the shape of a credential, which the redactor removes
      throw new TestAbortedException("the profile gives no identity.password, so this lab does not log in with "
          + "oc login -u -p (the token comes from the kubeconfig or identity.token)");
    }
    if (step.password().isEmpty()) {
      // the harness's input is missing, not the lab wrong: ERROR, naming the field
      throw new IllegalStateException("identity.password names " + lab.profile().identity().password()
          + ", which is not set: the password login cannot be tried");
    }
    LoginStep.OAuthOutcome outcome = step.oauth();
    if (outcome.token().isPresent()) {
      lab.note("oc login -u " + step.user() + " through " + outcome.host() + " issued a token (expires in "
          + outcome.token().get().expiresIn().toHours() + " h)");
      return;
    }
    OAuthLogin.Failure failure = outcome.failure().orElseThrow();
    if (failure.kind() != OAuthLogin.Failure.Kind.UNTRUSTED) {
      throw new CheckFailure("oc login -u " + step.user() + " failed: " + failure.getMessage());
    }
    throw untrustedOAuthServer(step, ingress, routes, outcome);
  }

  /** Names what the OAuth server serves and whether the ingress CA is what is missing. */
  private static CheckFailure untrustedOAuthServer(LoginStep step, DefaultRouteStep ingress, RouteAccess routes,
      LoginStep.OAuthOutcome outcome) {
    String host = outcome.host();
    List<X509Certificate> served;
    try {
      served = routes.servedChain(host);
    } catch (IOException e) {
      return new CheckFailure("oc login -u " + step.user() + " failed: " + outcome.failure().get().getMessage());
    }
    if (!Certificates.covers(served.get(0), host)) {
      return new CheckFailure("x509: certificate is valid for " + Certificates.dnsNames(served.get(0)) + ", not " + host
          + " — the OAuth server's certificate does not name it", List.of(new CheckFailure.Evidence(
              "oauth-server-chain.txt", Certificates.dump(served))));
    }
    Optional<String> byIngress;
    String ingressSource;
    try {
      DefaultRouteStep.IngressCa ca = ingress.ingressCa();
      byIngress = Certificates.chainProblem(served, ca.certificates(), Instant.now());
      ingressSource = ca.source();
    } catch (CheckFailure e) {
      byIngress = Optional.of(e.getMessage());
      ingressSource = "the cluster (not readable: " + e.getMessage() + ")";
    } catch (KubernetesClientException e) {
      // a refused session (401) or no permission (403): the x509 verdict stands without the comparison
      return new CheckFailure("x509: certificate signed by unknown authority — the OAuth server " + host + " serves "
          + Certificates.subject(served.get(0)) + " issued by " + served.get(0).getIssuerX500Principal().getName()
          + "; whether that is the ingress CA cannot be read (" + e.getCode() + ")", List.of(new CheckFailure.Evidence(
              "oauth-server-chain.txt", Certificates.dump(served))));
    }
    String what = "x509: certificate signed by unknown authority — the OAuth server " + host + " serves "
        + Certificates.subject(served.get(0)) + " issued by " + served.get(0).getIssuerX500Principal().getName();
    String why = byIngress.isEmpty()
        ? "; that is the ingress CA (" + ingressSource + "), which this workstation does not trust (it is neither "
            + "the kubeconfig's CA nor in the system bundle " + step.trustDescription() + ")"
        : "; it does not chain to the ingress CA either (" + byIngress.get() + ")";
    return new CheckFailure(what + why, List.of(new CheckFailure.Evidence("oauth-server-chain.txt",
        Certificates.dump(served))));
  }

  @Check("S12.3")
  void loginThroughEachRouteWithTheToken(LoginStep step, RouteAccess routes, RegistryAccessStep access, RunSession lab)
      throws IOException {
    RouteAccess.skipWhereTheLabHasNoRouter(lab);
    List<String> hosts = step.exposedHosts();
    if (hosts.isEmpty()) {
      throw new TestAbortedException("no route exposes the registry (exposure.routes: "
          + lab.profile().exposure().routes() + ", and no route exists)");
    }
    String user = step.user();
    // a route whose own checks failed is not tried again here: its failure is already said there
    List<String> broken = new ArrayList<>();
    for (String check : List.of("S10.3", "S11.5")) {
      lab.outcome(check).filter(o -> o != Status.PASS && o != Status.WARN
          && o != Status.SKIP).ifPresent(o -> broken.add(check));
    }
    if (broken.contains("S10.3") && !hosts.isEmpty() && lab.profile().exposure().usesDefaultRoute()) {
      hosts = hosts.stream().filter(h -> !h.startsWith(DefaultRouteStep.ROUTE + "-")).toList();
    }
    if (broken.contains("S11.5") && lab.profile().exposure().usesCustomRoute()) {
      String custom = lab.profile().exposure().route().hostname();
      hosts = hosts.stream().filter(h -> !h.equals(custom)).toList();
    }
    if (hosts.isEmpty()) {
      String root = lab.rootCause(broken.get(0));
      throw Blocked.by(root, lab.outcome(root).map(Enum::name).orElse("") + " "
          + Text.firstLine(lab.reason(root)));
    }
    if (!broken.isEmpty()) {
      lab.note("not tried: the routes of " + broken + ", which did not pass");
    }
    for (String host : hosts) {
      try {
        RoutePush.login(lab, routes.client(host, routes.podmanTrust(host), Credentials.basic(user,
            access.token().value())), host, routes);
      } catch (CheckFailure e) {
        throw new CheckFailure("podman login " + host + " fails on this workstation, which trusts the system bundle "
            + lab.profile().exposure().trustBundle() + " and " + lab.profile().exposure().registryCerts().resolve(host)
            + "/: " + e.getMessage() + routes.notExtractedNote(), e.evidence());
      }
      lab.note("podman login -u " + user + " -p <token> " + host + ": Login Succeeded (trusting this workstation's CAs)");
    }
  }
}
