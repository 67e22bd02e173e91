package dev.regcheck.conformance;

import static dev.regcheck.assertions.RegistryAssertions.assertThatChain;
import static dev.regcheck.assertions.RegistryAssertions.assertThatTlsSecret;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.assertions.Yaml;
import dev.regcheck.catalog.Step;
import dev.regcheck.fixture.CustomRouteStep;
import dev.regcheck.fixture.DefaultRouteStep;
import dev.regcheck.fixture.RegistryAccessStep;
import dev.regcheck.fixture.RouteAccess;
import dev.regcheck.fixture.RoutePush;
import dev.regcheck.junit.Check;
import dev.regcheck.junit.Needs;
import dev.regcheck.junit.Conformance;
import dev.regcheck.session.RunSession;
import dev.regcheck.pki.CertificateRules;
import dev.regcheck.tls.CertificateFacts;
import dev.regcheck.tls.Certificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigRoute;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.regcheck.result.Status;
import java.security.cert.CertificateEncodingException;
import java.util.Arrays;

/**
 * S11: the custom route with a certificate signed by the lab root CA. The secret, the certificate
 * against certs.cnf, the chain to the root, the {@code spec.routes} entry and its Route, what the
 * router really serves, and a push and pull through it.
 */
@Conformance(Step.S11)
class S11CustomRouteTest {

  @Check("S11.1")
  void secretHoldsTheCertificateAndItsKey(CustomRouteStep step, RunSession lab) {
    step.requireChosen();
    Needs.present(lab, "S11.1", step.namespaceExists(), "namespace " + step.namespace());
    Secret secret = step.secret().orElse(null);
    assertThatTlsSecret(secret, step.entry().secret(), step.namespace()).existsAsTlsSecret()
        .keyMatches(step.certificates(secret), step.privateKey(secret));
    List<X509Certificate> chain = step.certificates(secret);
    if (chain.size() > 1) {
      lab.note("tls.crt holds " + chain.size() + " certificates; a route's certificate should be the single "
          + "serving certificate (the CA goes in tls.cacrt)");
    }
  }

  @Check("S11.2")
  void certificateIsAsTheDocumentMakesIt(CustomRouteStep step, RunSession lab) {
    step.requireChosen();
    Needs.present(lab, "S11.1", step.namespaceExists(), "namespace " + step.namespace());
    Secret secret = step.secret().orElse(null);
    X509Certificate leaf = secretCertificate("S11.2", step, lab);
    List<CertificateRules.Finding> findings = CertificateRules.check(leaf, step.host(), Instant.now());
    assertThatTlsSecret(secret, step.entry().secret(), step.namespace()).certificateFollowsTheDocument(leaf, findings);
    findings.stream().filter(f -> f.severity() == CertificateRules.Severity.WARN)
        .forEach(f -> lab.note("WARN " + f.message()));
    CertificateFacts facts = CertificateFacts.of(leaf);
    lab.note(facts.keyAlgorithm() + " " + facts.keyBits() + " bits, " + facts.signatureAlgorithm() + ", SAN "
        + facts.dnsNames() + ", " + facts.daysLeft(Instant.now()) + " days left"
        + (facts.keyBits() < lab.profile().exposure().certificate().keyBits()
            ? " (the document uses " + lab.profile().exposure().certificate().keyBits() + " bits)" : ""));
  }

  @Check("S11.3")
  void certificateChainsToTheLabRoot(CustomRouteStep step, RunSession lab) {
    step.requireChosen();
    secretCertificate("S11.3", step, lab);
    Secret secret = step.secret().orElseThrow();
    assertThatTlsSecret(secret, step.entry().secret(), step.namespace())
        .chainsToTheLabRoot(step.certificates(secret), step.rootCa(),
            String.valueOf(lab.profile().exposure().certificate().rootCa()));
  }

  @Check("S11.4")
  void routeEntryAndRouteAreAdmitted(CustomRouteStep step, RunSession lab) {
    step.requireChosen();
    Needs.present(lab, "S11.4", step.config().isPresent(), "configs.imageregistry.operator.openshift.io/"
        + lab.profile().registry().config());
    var config = step.config().orElseThrow();
    List<ImageRegistryConfigRoute> entries = Optional.ofNullable(config.getSpec().getRoutes()).orElse(List.of());
    String host = step.host();
    Optional<ImageRegistryConfigRoute> named = entries.stream().filter(r -> step.entry().name().equals(r.getName())).findFirst();
    if (named.isEmpty()) {
      Optional<ImageRegistryConfigRoute> defaultNamed = entries.stream()
          .filter(r -> DefaultRouteStep.ROUTE.equals(r.getName())).findFirst();
      String verification = Optional.ofNullable(config.getStatus()).map(s -> s.getConditions()).orElse(List.of()).stream()
          .filter(c -> "True".equals(c.getStatus()) && "VerificationFailed".equals(c.getReason()))
          .map(c -> c.getType() + " " + c.getReason() + ": " + c.getMessage()).findFirst().orElse(null);
      if (defaultNamed.isPresent()) {
        throw new CheckFailure("spec.routes has an entry named default-route (hostname " + defaultNamed.get().getHostname()
            + "): that name is the operator's own route, so the operator rejects the whole config"
            + (verification == null ? "" : " — the operator says: " + verification)
            + "; rename the entry " + step.entry().name(),
            List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(config))));
      }
      throw new CheckFailure("spec.routes has no entry " + step.entry().name() + " (entries: "
          + entries.stream().map(ImageRegistryConfigRoute::getName).toList() + ")",
          List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(config))));
    }
    // the operator makes routes only when its sync succeeds: with the config rejected or the storage
    // failing there is no route to wait for; a route that exists is judged whatever the operator's state
    Needs.present(lab, "S11.4", step.route().isPresent(), "route " + step.entry().name() + " in " + step.namespace());
    List<String> wrong = new ArrayList<>();
    if (!host.equals(named.get().getHostname())) {
      wrong.add("hostname is " + named.get().getHostname() + ", expected " + host);
    }
    if (!step.entry().secret().equals(named.get().getSecretName())) {
      wrong.add("secretName is " + named.get().getSecretName() + ", expected " + step.entry().secret());
    }
    if (!wrong.isEmpty()) {
      throw new CheckFailure("spec.routes entry " + step.entry().name() + ": " + String.join("; ", wrong),
          List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(config))));
    }
    Route route = DefaultRouteStep.awaitAdmitted(lab, step.entry().name(), step.namespace(), step::route);
    if (!host.equals(route.getSpec().getHost())) {
      wrong.add("host is " + route.getSpec().getHost() + ", expected " + host);
    }
    String termination = route.getSpec().getTls() == null ? null : route.getSpec().getTls().getTermination();
    if (!"reencrypt".equals(termination)) {
      wrong.add("termination is " + termination + ", expected reencrypt");
    }
    X509Certificate secretCert = step.certificates(step.secret().orElseThrow(() -> new CheckFailure(
        "secret " + step.entry().secret() + " does not exist"))).get(0);
    String routeCert = route.getSpec().getTls() == null ? null : route.getSpec().getTls().getCertificate();
    if (routeCert == null || !CustomRouteStep.sameCertificate(routeCert, secretCert)) {
      wrong.add("spec.tls.certificate is " + (routeCert == null ? "empty" : "not the secret's tls.crt")
          + " (the operator copies tls.crt when it syncs)");
    }
    if (!wrong.isEmpty()) {
      throw new CheckFailure("route " + step.entry().name() + ": " + String.join("; ", wrong),
          List.of(new CheckFailure.Evidence("route.yaml", Yaml.of(route))));
    }
  }

  @Check("S11.5")
  void routerServesTheSecretsCertificate(CustomRouteStep step, DefaultRouteStep routeInfo, RouteAccess routes,
      RunSession lab) {
    step.requireChosen();
    String host = step.host();
    X509Certificate expected = secretCertificate("S11.5", step, lab);
    Needs.present(lab, "S11.5", step.route().filter(DefaultRouteStep::admitted).isPresent(),
        "an admitted route " + step.entry().name() + " in " + step.namespace());
    List<X509Certificate> served;
    try {
      served = routes.servedChain(host);
    } catch (IOException e) {
      throw new CheckFailure("no TLS handshake with " + host + " at " + routes.describe(host) + ": " + e.getMessage());
    }
    boolean same;
    try {
      same = Arrays.equals(served.get(0).getEncoded(), expected.getEncoded());
    } catch (CertificateEncodingException e) {
      same = false;
    }
    if (!same) {
      throw new CheckFailure("for SNI " + host + " the router serves " + Certificates.subject(served.get(0))
          + " (serial " + served.get(0).getSerialNumber().toString(16) + ", issued by "
          + served.get(0).getIssuerX500Principal().getName() + "), not the secret's certificate (serial "
          + expected.getSerialNumber().toString(16) + ")", List.of(new CheckFailure.Evidence("served-chain.txt",
              Certificates.dump(served)), new CheckFailure.Evidence("secret-certificate.txt", Certificates.dump(expected))));
    }
    assertThatChain(served, "the router for " + host)
        .coversHosts(host)
        .isValidAt(Instant.now())
        .chainsTo(List.of(step.rootCa()), "the lab root CA", Instant.now());
    if (lab.outcome("S08.2").filter(o -> o == Status.FAIL).isPresent()) {
      throw new CheckFailure("the router serves the right certificate, but images.config.openshift.io/cluster "
          + "publishes no hostnames at all (S08.2 failed too): the operator's image-config controller is not "
          + "publishing, so externalRegistryHostnames will not list " + host);
    }
    routeInfo.awaitExternalHostname(host);
  }

  /**
   * The secret's certificate; when there is none to read (no secret, no tls.crt, not PEM), BLOCKED
   * by S11.1 if that failed, else the reading's own failure.
   */
  private static X509Certificate secretCertificate(String check, CustomRouteStep step, RunSession lab) {
    try {
      return step.certificates(step.secret().orElseThrow(() -> new CheckFailure("secret " + step.entry().secret()
          + " does not exist in " + step.namespace()))).get(0);
    } catch (CheckFailure e) {
      Needs.present(lab, check, false, "a readable certificate in secret " + step.entry().secret());
      throw e;
    }
  }

  @Check("S11.6")
  void pushAndPullThroughTheCustomRoute(CustomRouteStep step, RouteAccess routes, RegistryAccessStep access,
      RunSession lab) throws IOException {
    step.requireChosen();
    RoutePush.through(lab, access, routes, step.host(), List.of(step.rootCa()), "custom-route");
  }
}
