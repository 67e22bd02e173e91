package dev.regcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regcheck.fixture.BearerToken;
import dev.regcheck.fixture.RegistryConnection;
import dev.regcheck.registry.AddressMap;
import dev.regcheck.registry.Credentials;
import dev.regcheck.registry.RegistryClient;
import dev.regcheck.registry.TestImage;
import dev.regcheck.tls.Certificates;
import dev.regcheck.tools.ToolSandbox;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.openshift.client.OpenShiftClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * The lab's registry as the real tools see it, exactly as the procedure uses them: podman log in
 * with any user name and the token, push, pull and {@code podman search <svc>/}; and the harness's
 * client and skopeo agree on digests both ways. TLS is verified against the service CA by name
 * (the tools see the service name through a private hosts file; see {@link ToolSandbox}).
 */
@EmbeddedLabTest(classLab = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolInteropTest {
  static final String SERVICE = "image-registry.openshift-image-registry.svc";

  Path dir;
  EmbeddedLab lab;
  OpenShiftClient user;
  ToolSandbox tools;
  String token;
  String registry;
  RegistryClient client;

  @BeforeAll
  void startLabWithRegistry(@TempDir Path tempDir, TestLabs labs) throws Exception {
    dir = tempDir;
    Optional<String> why = ToolSandbox.unavailable("skopeo", "podman");
    assumeTrue(why.isEmpty(), () -> why.orElse(""));
    lab = labs.start();
    user = LabDriver.userClient(lab);
    LabDriver.applySteps(lab, user, Set.of());
    InetSocketAddress endpoint = await("a ready registry endpoint").atMost(Duration.ofSeconds(60))
        .until(() -> RegistryConnection.readyEndpointOf(user.endpoints().inNamespace("openshift-image-registry")
            .withName("image-registry").get()), Optional::isPresent).orElseThrow();
    registry = SERVICE + ":" + endpoint.getPort();
    String ca = user.configMaps().inNamespace("openshift-image-registry").withName("openshift-service-ca.crt").get()
        .getData().get("service-ca.crt");
    token = BearerToken.kubeconfigToken(Config.fromKubeconfig(Files.readString(lab.kubeconfig())));
    tools = new ToolSandbox(dir.resolve("tools"), List.of(SERVICE), ca);
    client = RegistryClient.builder().registry(registry).addresses(AddressMap.of(Map.of(SERVICE, "127.0.0.1")))
        .trust(Certificates.parsePem(ca)).credentials(Credentials.basic("anyone", token)).build();
  }

  @AfterAll
  void stopLab() {
    if (client != null) {
      client.close();
    }
    if (user != null) {
      user.close();
    }
  }

  /** podman login --password-stdin: the credentials go to the sandbox's auth file, never on argv. */
  private void login() throws Exception {
    ToolSandbox.Result ok = tools.run(tools.podman("login", "-u", "whoever", "--password-stdin",
        "--cert-dir", tools.certDir().toString(), registry), token);
    assertThat(ok.output()).as(ok.output()).contains("Login Succeeded!");
  }

  private String authfile() {
    return tools.authFile().toString();
  }

  @Test
  @DisplayName("podman login takes any user name with the token as password, and refuses a wrong token")
  void podmanLogin() throws Exception {
    login();
    ToolSandbox.Result bad = tools.run(tools.podman("login", "-u", "whoever", "--password-stdin",
        "--cert-dir", tools.certDir().toString(), registry), "sha256~not-a-token");
    assertThat(bad.exit()).as(bad.output()).isNotZero();
    assertThat(bad.output()).doesNotContain(token);
  }

  @Test
  @DisplayName("skopeo pulls what the harness pushed, with the same digest")
  void skopeoPullsHarnessPush() throws Exception {
    TestImage image = TestImage.build(TestImage.Format.DOCKER);
    String digest = image.push(client, "openshift/interop", "from-regcheck");
    login();
    ToolSandbox.Result inspect = tools.run(List.of("skopeo", "inspect", "--authfile", authfile(), "--cert-dir",
        tools.certDir().toString(), "--format", "{{.Digest}}", "docker://" + registry + "/openshift/interop:from-regcheck"));
    assertThat(inspect.exit()).as(inspect.output()).isZero();
    assertThat(inspect.output().strip()).isEqualTo(digest);
    ToolSandbox.Result copy = tools.run(List.of("skopeo", "copy", "--quiet", "--src-authfile", authfile(), "--src-cert-dir",
        tools.certDir().toString(), "docker://" + registry + "/openshift/interop@" + digest,
        "dir:" + dir.resolve("pulled")));
    assertThat(copy.exit()).as(copy.output()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("pulled/manifest.json"))).isEqualTo(image.manifestBytes());
  }

  @Test
  @DisplayName("the harness pulls what skopeo pushed, verifying every digest, and the lab recorded it")
  void harnessPullsSkopeoPush() throws Exception {
    TestImage image = TestImage.build(TestImage.Format.OCI);
    image.writeOciLayout(dir.resolve("layout"), "v1");
    login();
    ToolSandbox.Result push = tools.run(List.of("skopeo", "copy", "--quiet", "--dest-authfile", authfile(),
        "--dest-cert-dir", tools.certDir().toString(), "oci:" + dir.resolve("layout") + ":v1",
        "docker://" + registry + "/openshift/interop:from-skopeo"));
    assertThat(push.exit()).as(push.output()).isZero();
    TestImage.Pulled pulled = TestImage.pull(client, "openshift/interop", "from-skopeo");
    assertThat(pulled.manifest().digest()).isEqualTo(image.digest());
    await("the push is recorded as image stream tag from-skopeo").atMost(Duration.ofSeconds(10))
        .until(() -> Optional.ofNullable(user.imageStreamTags().inNamespace("openshift")
            .withName("interop:from-skopeo").get()).map(t -> t.getImage().getMetadata().getName()),
            d -> d.equals(Optional.of(image.digest())));
  }

  @Test
  @DisplayName("podman pulls, pushes and searches the registry as the procedure does")
  void podmanPullPushSearch() throws Exception {
    String digest = TestImage.build(TestImage.Format.DOCKER).push(client, "openshift/podman", "v1");
    String ref = registry + "/openshift/podman";
    login();
    ToolSandbox.Result pull = tools.run(tools.podman("pull", "--authfile", authfile(), "--cert-dir",
        tools.certDir().toString(), ref + ":v1"));
    assertThat(pull.exit()).as(pull.output()).isZero();
    ToolSandbox.Result tag = tools.run(tools.podman("tag", ref + ":v1", ref + ":from-podman"));
    assertThat(tag.exit()).as(tag.output()).isZero();
    ToolSandbox.Result push = tools.run(tools.podman("push", "--authfile", authfile(), "--cert-dir",
        tools.certDir().toString(), ref + ":from-podman"));
    assertThat(push.exit()).as(push.output()).isZero();
    assertThat(client.headManifest("openshift/podman", "from-podman")).isPresent();
    assertThat(client.headManifest("openshift/podman", "v1")).get().extracting(d -> d.digest()).isEqualTo(digest);
    // as the document: podman login, then podman search <registry>/ with the stored credentials;
    // podman search has no --cert-dir (lab-components.md): TLS verification off for it alone
    ToolSandbox.Result search = tools.run(tools.podman("search", "--authfile", tools.authFile().toString(),
        "--tls-verify=false", registry + "/"));
    assertThat(search.exit()).as(search.output()).isZero();
    assertThat(search.output()).contains(registry + "/openshift/podman");
  }
}
