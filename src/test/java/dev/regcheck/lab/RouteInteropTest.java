package dev.regcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regcheck.catalog.Lang;
import dev.regcheck.fixture.BearerToken;
import dev.regcheck.registry.TestImage;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import dev.regcheck.session.Mode;
import dev.regcheck.run.RunOptions;
import dev.regcheck.run.RunReport;
import dev.regcheck.run.SuiteRunner;
import dev.regcheck.tools.ToolSandbox;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import java.util.ArrayList;
import dev.regcheck.lab.ingress.HaproxyRouter;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * The routes with the real tools: a certificate made with the document's exact openssl commands
 * (signed by the lab root CA) becomes the custom route's secret and passes regcheck's S11 checks;
 * then {@code curl --resolve}, {@code podman} and {@code skopeo} (in a mount namespace with a private
 * hosts file) log in and push through both route hosts.
 */
@EmbeddedLabTest(classLab = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouteInteropTest {
  static final String APPS = LabDriver.SETTINGS.appsDomain();
  static final String DEFAULT_HOST = "default-route-openshift-image-registry." + APPS;
  static final String CUSTOM_HOST = "registry." + APPS;

  Path dir;
  EmbeddedLab lab;
  OpenShiftClient user;
  ToolSandbox tools;
  String token;
  int port;

  @BeforeAll
  void startLabWithRoutes(@TempDir Path tempDir, TestLabs labs) throws Exception {
    dir = tempDir;
    Optional<String> why = ToolSandbox.unavailable("skopeo", "podman", "openssl", "curl");
    assumeTrue(why.isEmpty(), () -> why.orElse(""));
    assumeTrue(new dev.regcheck.lab.process.Haproxy(dev.regcheck.lab.process.HostRuntime.INSTANCE).unavailableReason().isEmpty(), () -> new dev.regcheck.lab.process.Haproxy(dev.regcheck.lab.process.HostRuntime.INSTANCE).unavailableReason().orElse(""));
    lab = labs.start();
    user = LabDriver.userClient(lab);
    LabDriver.applySteps(lab, user, Set.of());
    Path work = dir.resolve("openssl");
    Files.createDirectories(work);
    Path labDir = lab.kubeconfig().getParent();
    // the document's commands, verbatim but for the paths and a 2048-bit key (4096 is shown elsewhere)
    Files.writeString(work.resolve("certs.cnf"), """
        [v3_req]
        basicConstraints = CA:FALSE
        keyUsage = nonRepudiation, digitalSignature, keyEncipherment
        subjectAltName = DNS:%s
        """.formatted(CUSTOM_HOST));
    openssl(work, "genrsa", "-out", "registry.key", "2048");
    openssl(work, "req", "-new", "-key", "registry.key", "-out", "registry.csr", "-subj",
        "/C=CN/ST=Shanghai/L=Shanghai/O=Company/OU=SH/CN=xiaohui.cn", "-sha512");
    openssl(work, "x509", "-req", "-in", "registry.csr", "-CA", labDir.resolve(LabFiles.ROOT_CA).toString(),
        "-CAkey", labDir.resolve(LabFiles.ROOT_KEY).toString(), "-CAcreateserial", "-out", "registry.crt",
        "-days", "3650", "-sha512", "-extensions", "v3_req", "-extfile", "certs.cnf");
    Base64.Encoder b64 = Base64.getEncoder();
    user.secrets().inNamespace("openshift-image-registry").resource(new SecretBuilder().withNewMetadata()
        .withName("registry").endMetadata().withType("kubernetes.io/tls")
        .addToData("tls.crt", b64.encodeToString(Files.readAllBytes(work.resolve("registry.crt"))))
        .addToData("tls.key", b64.encodeToString(Files.readAllBytes(work.resolve("registry.key")))).build()).create();
    LabDriver.patchConfig(user, "{\"spec\":{\"defaultRoute\":true,\"routes\":[{\"name\":\"public-routes\","
        + "\"hostname\":\"" + CUSTOM_HOST + "\",\"secretName\":\"registry\"}]}}");
    for (String name : List.of("default-route", "public-routes")) {
      await(name + " admitted").atMost(Duration.ofSeconds(60)).until(() -> {
        Route r = user.routes().inNamespace("openshift-image-registry").withName(name).get();
        return r != null && r.getStatus() != null && r.getStatus().getIngress() != null
            && r.getStatus().getIngress().stream().anyMatch(i -> i.getConditions().stream()
                .anyMatch(c -> "Admitted".equals(c.getType()) && "True".equals(c.getStatus())));
      });
    }
    port = lab.routerPort().orElseThrow();
    token = BearerToken.kubeconfigToken(Config.fromKubeconfig(Files.readString(lab.kubeconfig())));
    String ingressCa = user.configMaps().inNamespace("openshift-config-managed").withName("default-ingress-cert").get()
        .getData().get("ca-bundle.crt");
    String root = Files.readString(labDir.resolve(LabFiles.ROOT_CA));
    tools = new ToolSandbox(dir.resolve("tools"), List.of(DEFAULT_HOST, CUSTOM_HOST), ingressCa + root);
    // admitted is not served: the registry pod must be ready and the router reloaded with its endpoint
    for (String host : List.of(DEFAULT_HOST, CUSTOM_HOST)) {
      await(host + " answering /v2/ with the registry's 401").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250)).until(() -> tools.run(List.of("curl", "-s", "-o", "/dev/null", "-w",
              "%{http_code}", "--resolve", host + ":" + port + ":127.0.0.1", "--cacert",
              tools.certDir().resolve("ca.crt").toString(), "https://" + host + ":" + port + "/v2/")).output().strip()
              .equals("401"));
    }
  }

  private static void openssl(Path work, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("openssl " + String.join(" ", args) + ": " + out).isZero();
  }

  @AfterAll
  void stopLab() {
    if (user != null) {
      user.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("a certificate made with the document's openssl commands passes S11.1–S11.5 (verify mode, nothing applied)")
  void opensslCertificatePassesS11() {
    Map<String, String> overrides = new LinkedHashMap<>(lab.profileOverrides());
    RunReport report = SuiteRunner.run(new RunOptions(Path.of("profiles/sandbox.yaml"), overrides, Mode.VERIFY, Lang.EN,
        Set.of(), "S01.1,S01.2,S11.1,S11.2,S11.3,S11.4,S11.5", Set.of(), dir.resolve("reports")), r -> { });
    Map<String, Status> got = new LinkedHashMap<>();
    for (CheckResult r : report.results()) {
      got.put(r.check().id(), r.status());
    }
    assertThat(got).as(report.results().stream().map(r -> r.check().id() + " " + r.status() + " " + r.message())
        .toList().toString()).containsEntry("S11.1", Status.PASS).containsEntry("S11.2", Status.PASS)
        .containsEntry("S11.3", Status.PASS).containsEntry("S11.4", Status.PASS).containsEntry("S11.5", Status.PASS);
  }

  @Test
  @Order(2)
  @DisplayName("curl --resolve gets a token through each route host and reads /v2/ with it (realm on the route host)")
  void curlThroughBothRoutes() throws Exception {
    for (String host : List.of(DEFAULT_HOST, CUSTOM_HOST)) {
      String base = "https://" + host + ":" + port;
      List<String> resolve = List.of("--resolve", host + ":" + port + ":127.0.0.1", "--cacert",
          tools.certDir().resolve("ca.crt").toString(), "-sS");
      List<String> challenge = new ArrayList<>(List.of("curl", "-o", "/dev/null", "-D", "-"));
      challenge.addAll(resolve);
      challenge.add(base + "/v2/");
      ToolSandbox.Result anonymous = tools.run(challenge);
      assertThat(anonymous.output()).as(anonymous.output()).contains(" 401").contains("realm=\"" + base + "/openshift/token\"");
      List<String> tokenCall = new ArrayList<>(List.of("curl", "-K", "-"));
      tokenCall.addAll(resolve);
      tokenCall.add(base + "/openshift/token?service=" + "image-registry.openshift-image-registry.svc:5000");
      // the token goes on stdin as curl configuration, never on the command line
      ToolSandbox.Result issued = tools.run(tokenCall, "user = \"anyone:" + token + "\"\n");
      assertThat(issued.output()).as("token endpoint through " + host).contains("\"token\"");
      String jwt = issued.output().replaceAll("(?s).*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      List<String> v2 = new ArrayList<>(List.of("curl", "-K", "-", "-o", "/dev/null", "-w", "%{http_code}"));
      v2.addAll(resolve);
      v2.add(base + "/v2/");
      ToolSandbox.Result ok = tools.run(v2, "header = \"Authorization: Bearer " + jwt + "\"\n");
      assertThat(ok.output().strip()).as("GET /v2/ through " + host + " with the token").isEqualTo("200");
    }
  }

  @Test
  @Order(3)
  @DisplayName("podman logs in and skopeo pushes through both route hosts; podman pulls the image back through each")
  void podmanAndSkopeoThroughBothRoutes() throws Exception {
    TestImage image = TestImage.build(TestImage.Format.OCI, "route-interop");
    Path layout = dir.resolve("layout");
    image.writeOciLayout(layout, "v1");
    for (String host : List.of(DEFAULT_HOST, CUSTOM_HOST)) {
      String registry = host + ":" + port;
      ToolSandbox.Result login = tools.run(tools.podman("login", "-u", "whoever", "--password-stdin",
          "--authfile", tools.authFile().toString(), "--cert-dir", tools.certDir().toString(), registry), token);
      assertThat(login.output()).as(login.output()).contains("Login Succeeded!");
      String ref = registry + "/openshift/route-interop:" + (host.startsWith("default") ? "default" : "custom");
      ToolSandbox.Result push = tools.run(List.of("skopeo", "copy", "--quiet", "--dest-authfile",
          tools.authFile().toString(), "--dest-cert-dir", tools.certDir().toString(), "oci:" + layout + ":v1",
          "docker://" + ref));
      assertThat(push.exit()).as(push.output()).isZero();
      ToolSandbox.Result pull = tools.run(tools.podman("pull", "--authfile", tools.authFile().toString(),
          "--cert-dir", tools.certDir().toString(), ref));
      assertThat(pull.exit()).as(pull.output()).isZero();
    }
    assertThat(user.imageStreams().inNamespace("openshift").withName("route-interop").get().getStatus().getTags())
        .extracting(t -> t.getTag()).contains("default", "custom");
  }
}
