package dev.regcheck.lab.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regcheck.tls.ServedChain;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.RouteBuilder;
import io.fabric8.openshift.api.model.RouteIngressCondition;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.regcheck.pki.CustomCertificate;
import dev.regcheck.pki.LeafProfile;
import dev.regcheck.pki.Pem;
import dev.regcheck.pki.RootCa;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import java.util.OptionalLong;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.LabDriver;
import dev.regcheck.lab.core.WellKnown;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * The lab's router against the real registry: one lab for the class, started with nfs-down so it
 * runs no NFS server (the registry stores on an emptyDir). Tests use distinct hosts and remove
 * what they create.
 */
@EnabledIf("haproxyInstalled")
@EmbeddedLabTest(faults = Fault.NFS_DOWN)
class HaproxyRouterTest {
  static final String NS = "openshift-image-registry";
  static final String APPS = LabDriver.SETTINGS.appsDomain();
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path workDir;
  static EmbeddedLab lab;
  static OpenShiftClient client;
  static int port;

  static boolean haproxyInstalled() {
    return new dev.regcheck.lab.process.Haproxy(dev.regcheck.lab.process.HostRuntime.INSTANCE).unavailableReason().isEmpty();
  }

  @BeforeAll
  static void startLab(EmbeddedLab classLab, OpenShiftClient userClient) throws Exception {
    lab = classLab;
    lab.router().orElseThrow().startToReady().ifPresent(d ->
        System.out.printf("haproxy start to ready: %d ms%n", d.toMillis()));
    client = userClient;
    port = lab.routerPort().orElseThrow();
    LabDriver.patchConfig(client, "{\"spec\":{\"managementState\":\"Managed\",\"storage\":{\"emptyDir\":{}}}}");
    await("registry endpoints ready").atMost(WAIT).until(() -> {
      var ep = client.endpoints().inNamespace(NS).withName(WellKnown.REGISTRY).get();
      return ep != null && ep.getSubsets() != null && ep.getSubsets().stream()
          .anyMatch(s -> s.getAddresses() != null && !s.getAddresses().isEmpty());
    });
  }

  @Test
  @DisplayName("defaultRoute gives an admitted reencrypt default-route whose /v2/ challenge names the route's token URL")
  void defaultRouteServesTheRegistry() throws Exception {
    LabDriver.patchConfig(client, "{\"spec\":{\"defaultRoute\":true}}");
    try {
      String host = "default-route-openshift-image-registry." + APPS;
      Route route = awaitAdmitted(NS, "default-route", "True");
      assertThat(route.getSpec().getHost()).isEqualTo(host);
      assertThat(route.getSpec().getTls().getTermination()).isEqualTo("reencrypt");
      assertThat(route.getStatus().getIngress().get(0).getRouterCanonicalHostname()).isEqualTo("router-default." + APPS);
      Path routerCa = write("router-ca.crt", secretData("openshift-ingress-operator", "router-ca", "tls.crt"));
      Path published = write("default-ingress-cert.crt", client.configMaps().inNamespace("openshift-config-managed")
          .withName("default-ingress-cert").get().getData().get("ca-bundle.crt"));

      Curl v2 = curl(host, "/v2/", routerCa);
      assertThat(v2.status()).as(v2.toString()).isEqualTo(401);
      assertThat(v2.headers()).as(v2.toString()).containsIgnoringCase(
          "www-authenticate: Bearer realm=\"https://" + host + ":" + port + "/openshift/token\"");
      assertThat(curl(host, "/v2/", published).status()).isEqualTo(401);
      Curl token = curl(host, "/openshift/token?service=" + WellKnown.REGISTRY_SERVER_ADDR, routerCa);
      assertThat(token.status()).as(token.toString()).isEqualTo(200);
    } finally {
      LabDriver.patchConfig(client, "{\"spec\":{\"defaultRoute\":false}}");
    }
  }

  @Test
  @DisplayName("a spec.routes entry with a secret is served with exactly that secret's certificate for its host")
  void routeSecretCertificateIsServed() throws Exception {
    String host = "registry." + APPS;
    ServiceCa.Serving cert = ServiceCa.create("test-route-ca").serving(host);
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("public-route-tls")
        .endMetadata().withType("kubernetes.io/tls").addToData("tls.crt", base64(leafPem(cert)))
        .addToData("tls.key", base64(cert.privateKeyPem())).build()).create();
    LabDriver.patchConfig(client, "{\"spec\":{\"routes\":[{\"name\":\"public-routes\",\"hostname\":\"" + host
        + "\",\"secretName\":\"public-route-tls\"}]}}");
    try {
      awaitAdmitted(NS, "public-routes", "True");
      await("the route's certificate served").atMost(WAIT).untilAsserted(() ->
          assertThat(served(host).get(0)).isEqualTo(cert.leaf()));
      assertThat(curl(host, "/v2/", write("test-route-ca.crt", cert.issuer())).status()).isEqualTo(401);
    } finally {
      LabDriver.patchConfig(client, "{\"spec\":{\"routes\":null}}");
      client.secrets().inNamespace(NS).withName("public-route-tls").delete();
    }
  }

  @Test
  @DisplayName("an unknown host gets 503 with the default certificate")
  void unknownHostGets503() throws Exception {
    String host = "nobody-here." + APPS;
    assertThat(curl(host, "/", null).status()).isEqualTo(503);
    assertThat(served(host).get(0)).isEqualTo(defaultLeaf());
  }

  @Test
  @DisplayName("a key that does not match the certificate: Admitted=False ExtendedValidationFailed, not served")
  void keyMismatchIsRejected() throws Exception {
    String host = "mismatch." + APPS;
    ServiceCa ca = ServiceCa.create("test-mismatch-ca");
    ServiceCa.Serving cert = ca.serving(host);
    ServiceCa.Serving other = ca.serving(host);
    client.routes().inNamespace(NS).resource(registryRoute("mismatch", host)
        .editSpec().editTls().withCertificate(leafPem(cert)).withKey(other.privateKeyPem()).endTls().endSpec()
        .build()).create();
    try {
      Route route = awaitAdmitted(NS, "mismatch", "False");
      RouteIngressCondition admitted = route.getStatus().getIngress().get(0).getConditions().get(0);
      assertThat(admitted.getReason()).isEqualTo("ExtendedValidationFailed");
      assertThat(admitted.getMessage()).isEqualTo(
          "spec.tls.key: Invalid value: \"redacted key data\": tls: private key does not match public key");
      assertThat(curl(host, "/v2/", null).status()).isEqualTo(503);
      assertThat(served(host).get(0)).isEqualTo(defaultLeaf());
    } finally {
      client.routes().inNamespace(NS).withName("mismatch").delete();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sha1", "rsa1024"})
  @DisplayName("a new certificate the router refuses: Admitted=False and no longer served, never the old one under Admitted=True")
  void refusedNewCertificateIsNotAdmitted(String kind) throws Exception {
    String host = "refused-" + kind + "." + APPS;
    RootCa root = RootCa.generate("test refused root", 2048, Duration.ofDays(30));
    LeafProfile leaf = LeafProfile.document(host).withKeyBits(2048);
    CustomCertificate good = CustomCertificate.issue(root, leaf);
    CustomCertificate refused = CustomCertificate.issue(root, kind.equals("sha1")
        ? leaf.withSignatureAlgorithm("SHA1withRSA") : leaf.withKeyBits(1024));
    String name = "refused-" + kind;
    client.routes().inNamespace(NS).resource(withCertificate(registryRoute(name, host), good).build()).create();
    try {
      awaitAdmitted(NS, name, "True");
      await("the first certificate served").atMost(WAIT).untilAsserted(() ->
          assertThat(served(host).get(0)).isEqualTo(good.certificate()));
      Route current = client.routes().inNamespace(NS).withName(name).get();
      client.routes().inNamespace(NS).resource(withCertificate(new RouteBuilder(current), refused).build()).update();
      Route route = awaitAdmitted(NS, name, "False");
      RouteIngressCondition admitted = route.getStatus().getIngress().get(0).getConditions().get(0);
      assertThat(admitted.getReason()).isEqualTo("ExtendedValidationFailed");
      assertThat(admitted.getMessage()).startsWith("spec.tls.certificate: Invalid value: \"redacted certificate data\": ")
          .contains(kind.equals("sha1") ? "insecure algorithm SHA1-RSA" : "the router's haproxy refuses it");
      assertThat(route.getStatus().getIngress()).hasSize(1);
      await("the old certificate no longer served").atMost(WAIT).untilAsserted(() ->
          assertThat(served(host).get(0)).isEqualTo(defaultLeaf()));
    } finally {
      client.routes().inNamespace(NS).withName(name).delete();
    }
  }

  static RouteBuilder withCertificate(RouteBuilder route, CustomCertificate cert) {
    return route.editSpec().editTls().withCertificate(cert.certificatePem())
        .withKey(Pem.privateKeyPem(cert.privateKey(), Pem.KeyFormat.TRADITIONAL)).endTls().endSpec();
  }

  @Test
  @DisplayName("a second route for a claimed host: Admitted=False HostAlreadyClaimed")
  void secondClaimIsRejected() {
    String host = "claimed." + APPS;
    client.routes().inNamespace(NS).resource(registryRoute("claim-first", host).build()).create();
    awaitAdmitted(NS, "claim-first", "True");
    client.routes().inNamespace("default").resource(registryRoute("claim-second", host).build()).create();
    try {
      Route second = awaitAdmitted("default", "claim-second", "False");
      assertThat(second.getStatus().getIngress().get(0).getConditions().get(0).getReason())
          .isEqualTo("HostAlreadyClaimed");
    } finally {
      client.routes().inNamespace(NS).withName("claim-first").delete();
      client.routes().inNamespace("default").withName("claim-second").delete();
    }
  }

  @Test
  @DisplayName("a deleted route is no longer served once the router has reloaded")
  void deletedRouteIsNoLongerServed() throws Exception {
    String host = "short-lived." + APPS;
    client.routes().inNamespace(NS).resource(registryRoute("short-lived", host).build()).create();
    awaitAdmitted(NS, "short-lived", "True");
    await("route served").atMost(WAIT).until(() -> curl(host, "/v2/", null).status() == 401);
    long pid = lab.router().orElseThrow().pid().orElseThrow();
    client.routes().inNamespace(NS).withName("short-lived").delete();
    await("route gone").atMost(WAIT).until(() -> curl(host, "/v2/", null).status() == 503);
    assertThat(lab.router().orElseThrow().pid()).isPresent().isNotEqualTo(OptionalLong.of(pid));
    lab.router().orElseThrow().lastReload().ifPresent(d ->
        System.out.printf("haproxy reload (new pid up, old one gone): %d ms%n", d.toMillis()));
  }

  @Test
  @DisplayName("ingress-ca-untrusted: the served default certificate does not verify against default-ingress-cert")
  void foreignDefaultCertificateIsUntrusted(TestLabs labs) throws Exception {
    EmbeddedLab other = labs.start(Fault.NFS_DOWN, Fault.INGRESS_CA_UNTRUSTED);
    try (OpenShiftClient otherClient = LabDriver.userClient(other)) {
      int otherPort = other.routerPort().orElseThrow();
      String host = "anything." + APPS;
      Path published = write("untrusted-default-ingress-cert.crt", otherClient.configMaps()
          .inNamespace("openshift-config-managed").withName("default-ingress-cert").get().getData().get("ca-bundle.crt"));
      Curl verified = curl(host, otherPort, "/", published);
      assertThat(verified.status()).as(verified.toString()).isEqualTo(-1);
      assertThat(verified.stderr()).contains("SSL certificate problem");
      assertThat(curl(host, otherPort, "/", null).status()).isEqualTo(503);
    }
  }

  @Test
  @DisplayName("closing the lab stops every haproxy it started")
  void closeLeavesNoHaproxy(TestLabs labs) throws Exception {
    EmbeddedLab other = labs.start(Fault.NFS_DOWN);
    List<Long> pids;
    try {
      pids = other.router().orElseThrow().childPids();
      assertThat(pids).isNotEmpty();
    } finally {
      other.close();
    }
    assertThat(pids).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("haproxy pid %d", pid).isEmpty());
  }

  // --- helpers

  static RouteBuilder registryRoute(String name, String host) {
    return new RouteBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withHost(host)
        .withNewTo().withKind("Service").withName(WellKnown.REGISTRY).endTo()
        .withNewTls().withTermination("reencrypt").endTls().endSpec();
  }

  static Route awaitAdmitted(String ns, String name, String status) {
    List<Route> seen = new ArrayList<>();
    await("route " + ns + "/" + name + " Admitted=" + status).atMost(WAIT).untilAsserted(() -> {
      Route route = client.routes().inNamespace(ns).withName(name).get();
      seen.add(0, route);
      assertThat(Optional.ofNullable(route).map(Route::getStatus).map(s -> s.getIngress())
          .filter(i -> !i.isEmpty()).map(i -> i.get(0).getConditions().get(0).getStatus()))
          .as("%s", route == null ? null : route.getStatus()).contains(status);
    });
    return seen.get(0);
  }

  static String secretData(String ns, String name, String key) {
    return new String(Base64.getDecoder().decode(client.secrets().inNamespace(ns).withName(name).get()
        .getData().get(key)), StandardCharsets.US_ASCII);
  }

  static X509Certificate defaultLeaf() throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
        secretData("openshift-ingress", "router-certs-default", "tls.crt").getBytes(StandardCharsets.US_ASCII)));
  }

  static List<X509Certificate> served(String host) throws Exception {
    return ServedChain.capture(new InetSocketAddress("127.0.0.1", port), host, Duration.ofSeconds(5));
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  static String leafPem(ServiceCa.Serving serving) {
    String chain = serving.certificateChainPem();
    return chain.substring(0, chain.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----\n".length());
  }

  static Path write(String name, Object content) throws Exception {
    Path file = workDir.resolve(name);
    if (content instanceof X509Certificate cert) {
      content = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }
    Files.writeString(file, (String) content);
    return file;
  }

  record Curl(int status, String headers, String stderr) {}

  /** curl to the router by host name (--resolve); {@code cacert} null means -k. */
  static Curl curl(String host, String path, Path cacert) throws Exception {
    return curl(host, port, path, cacert);
  }

  static Curl curl(String host, int port, String path, Path cacert) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "-o", "/dev/null", "-D", "-",
        "--max-time", "10", "--resolve", host + ":" + port + ":127.0.0.1"));
    if (cacert == null) {
      command.add("-k");
    } else {
      command.addAll(List.of("--cacert", cacert.toString()));
    }
    command.add("https://" + host + ":" + port + path);
    Process process = new ProcessBuilder(command).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(15, TimeUnit.SECONDS);
    int status = out.startsWith("HTTP/") ? Integer.parseInt(out.split(" ")[1].trim()) : -1;
    return new Curl(status, out, err);
  }
}
