package dev.regcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * The lab answers the real kubectl as a Kubernetes API server does: discovery, OpenAPI v3 (so
 * {@code apply} validates on the server), create, client- and server-side apply, replace, merge,
 * JSON and strategic merge patches, the status subresource, delete, watch and wait. The expected
 * outputs are what kubectl prints against kube-apiserver 1.29 for the same requests.
 */
@EmbeddedLabTest(classLab = false)
class KubectlTest {
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  @TempDir
  Path workDir;
  private EmbeddedLab lab;

  @BeforeEach
  void startLab(TestLabs labs) throws Exception {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at " + KUBECTL);
    assumeTrue(clientMinor() >= 27, "kubectl older than 1.27 reads OpenAPI v2, which the lab does not serve "
        + "(Debian's kubernetes-client is 1.20)");
    lab = labs.start(Fault.REMOVED);
  }

  @Test
  @DisplayName("kubectl reads the config, co, pv/pvc and pods, and merge-patches the config (a typo is 422 by the CRD's schema)")
  void kubectlWorks() throws Exception {
    assertThat(kubectl("get", "configs.imageregistry.operator.openshift.io", "cluster", "-o", "yaml"))
        .contains("managementState: Removed").contains("kind: Config");
    assertThat(kubectl("get", "co", "image-registry")).contains("image-registry");
    // lists come in pages (limit/continue) as kube-apiserver serves them; kubectl follows the continue tokens
    String whole = kubectl("get", "namespaces", "-o", "name", "--chunk-size=0");
    assertThat(kubectl("get", "namespaces", "-o", "name", "--chunk-size=2")).isEqualTo(whole);
    assertThat(lab.requests()).filteredOn(r -> r.path().startsWith("/api/v1/namespaces?") && r.path().contains("continue="))
        .hasSizeGreaterThanOrEqualTo(whole.split("\n").length / 2 - 1);
    assertThat(kubectl("get", "pv,pvc", "-A")).doesNotContain("error");
    assertThat(kubectl("get", "pods", "-n", "openshift-image-registry", "-l", "docker-registry=default"))
        .doesNotContain("error");
    // the CRD's schema: a typo is refused by the API server, not left to the operator
    assertThat(kubectlFails("patch", "configs.imageregistry.operator.openshift.io", "cluster", "--type",
        "merge", "-p", "{\"spec\":{\"managementState\":\"Manage\"}}")).isEqualTo("The Config \"cluster\" is "
        + "invalid: spec.managementState: Invalid value: \"Manage\": spec.managementState in body should match "
        + "'^(Managed|Unmanaged|Force|Removed)$'\n");
    assertThat(kubectl("patch", "configs.imageregistry.operator.openshift.io", "cluster", "--type",
        "merge", "-p", "{\"spec\":{\"managementState\":\"Managed\"}}")).contains("patched");
    assertThat(kubectl("get", "configs.imageregistry.operator.openshift.io", "cluster", "-o",
        "jsonpath={.spec.managementState}")).isEqualTo("Managed");
    assertThat(lab.mutatingRequestsBy(lab.userActor())).isEqualTo(2);
  }

  @Test
  @DisplayName("create (not in a missing namespace), apply (client- and server-side), replace and delete of a Secret answer as kube-apiserver")
  void secretLifeCycle() throws Exception {
    Path secret = write("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: t1, namespace: default}\n"
        + "stringData: {a: b}\n");
    assertThat(kubectl("create", "-f", secret.toString())).isEqualTo("secret/t1 created\n");
    assertThat(kubectlFails("create", "-f", secret.toString())).isEqualTo("Error from server (AlreadyExists): "
        + "error when creating \"" + secret + "\": secrets \"t1\" already exists\n");
    Path elsewhere = write("elsewhere.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: t1, namespace: no-such}\n");
    assertThat(kubectlFails("create", "-f", elsewhere.toString())).as("NamespaceLifecycle admission")
        .isEqualTo("Error from server (NotFound): error when creating \"" + elsewhere
            + "\": namespaces \"no-such\" not found\n");
    // item 7: apply of an existing secret (kubectl warns that create left no last-applied annotation)
    assertThat(kubectl("apply", "-f", secret.toString())).endsWith("secret/t1 configured\n");
    // stringData is folded into data, as the API server's conversion does
    assertThat(kubectl("get", "secret", "t1", "-n", "default", "-o", "jsonpath={.data.a}|{.stringData}")).isEqualTo("Yg==|");
    assertThat(kubectl("apply", "--server-side", "-f", secret.toString())).isEqualTo("secret/t1 serverside-applied\n");
    assertThat(kubectl("replace", "-f", secret.toString())).isEqualTo("secret/t1 replaced\n");
    Path unknown = write("unknown.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: t2, namespace: default}\n"
        + "foo: bar\n");
    assertThat(kubectlFails("apply", "-f", unknown.toString())).isEqualTo("Error from server (BadRequest): error when "
        + "creating \"" + unknown + "\": Secret in version \"v1\" cannot be handled as a Secret: strict decoding error: "
        + "unknown field \"foo\"\n");
    assertThat(kubectl("delete", "secret", "t1", "-n", "default")).isEqualTo("secret \"t1\" deleted\n");
    assertThat(kubectlFails("get", "secret", "t1", "-n", "default"))
        .isEqualTo("Error from server (NotFound): secrets \"t1\" not found\n");
  }

  /** The kinds the procedure writes, as the document writes them (kind, resource name kubectl prints, manifest). */
  static Stream<Arguments> procedureKinds() {
    return Stream.of(
        Arguments.of("persistentvolume/pv-test", "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-test}\n"
            + "spec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteMany]\n  persistentVolumeReclaimPolicy: Retain\n"
            + "  storageClassName: \"\"\n  nfs: {server: 127.0.0.9, path: /nfs-test}\n"),
        Arguments.of("persistentvolumeclaim/pvc-test", "apiVersion: v1\nkind: PersistentVolumeClaim\n"
            + "metadata: {name: pvc-test, namespace: default}\nspec:\n  accessModes: [ReadWriteMany]\n"
            + "  storageClassName: \"\"\n  resources: {requests: {storage: 1Gi}}\n  volumeName: pv-none\n"),
        Arguments.of("configmap/cm-test", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-test, namespace: default}\n"
            + "data: {a: b}\n"),
        Arguments.of("route.route.openshift.io/route-test", "apiVersion: route.openshift.io/v1\nkind: Route\n"
            + "metadata: {name: route-test, namespace: default}\nspec:\n  host: route-test.example.com\n"
            + "  to: {kind: Service, name: x}\n  tls: {termination: reencrypt}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("procedureKinds")
  @DisplayName("each kind the procedure writes: apply, apply again, server-side apply, replace, patch, delete")
  void kindLifeCycle(String printed, String manifest) throws Exception {
    Path file = write("object.yaml", manifest);
    assertThat(kubectl("apply", "-f", file.toString())).isEqualTo(printed + " created\n");
    assertThat(kubectl("apply", "-f", file.toString())).isEqualTo(printed + " unchanged\n");
    assertThat(kubectl("apply", "--server-side", "-f", file.toString())).isEqualTo(printed + " serverside-applied\n");
    assertThat(kubectl("replace", "-f", file.toString())).isEqualTo(printed + " replaced\n");
    String patch = "{\"metadata\":{\"labels\":{\"lab\":\"test\"}}}";
    settled(printed); // the volume binder writes a PV's and a claim's status: a write in between is a change
    // by name: kubectl compares the server's answer with what it read (with -f, with the file: always "patched")
    assertThat(kubectl("patch", printed, "-n", "default", "--type", "merge", "-p", patch)).isEqualTo(printed + " patched\n");
    assertThat(kubectl("patch", printed, "-n", "default", "--type", "merge", "-p", patch))
        .isEqualTo(printed + " patched (no change)\n");
    String kind = printed.substring(0, printed.indexOf('/'));
    String name = printed.substring(printed.indexOf('/') + 1);
    String shortKind = kind.contains(".") ? kind.substring(0, kind.indexOf('.')) : kind;
    assertThat(kubectl("delete", "-f", file.toString())).isEqualTo(kind + " \"" + name + "\" deleted\n");
    String resource = (kind.contains(".") ? shortKind + "s" + kind.substring(kind.indexOf('.')) : shortKind + "s");
    assertThat(kubectlFails("get", "-f", file.toString()))
        .isEqualTo("Error from server (NotFound): " + resource + " \"" + name + "\" not found\n");
  }

  @Test
  @DisplayName("strategic merge patches merge lists by key, merge patches replace them, JSON patches are RFC 6902")
  void patchesMergeAsTheApiServerDoes() throws Exception {
    Path service = write("service.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: default}\n"
        + "spec:\n  selector: {app: a}\n  ports:\n  - {name: http, port: 80, targetPort: 8080}\n"
        + "  - {name: https, port: 443, targetPort: 8443}\n");
    kubectl("apply", "-f", service.toString());
    String ports = "jsonpath={range .spec.ports[*]}{.port}:{.targetPort} {end}";
    assertThat(kubectl("patch", "svc", "s1", "-n", "default", "-p", "{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":9090}]}}",
        "-o", ports)).isEqualTo("80:9090 443:8443 ");
    assertThat(kubectl("patch", "svc", "s1", "-n", "default", "--type", "merge", "-p",
        "{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":9090}]}}", "-o", ports)).isEqualTo("80:9090 ");
    assertThat(kubectl("patch", "svc", "s1", "-n", "default", "--type", "merge", "-p",
        "{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":9090}]}}")).isEqualTo("service/s1 patched (no change)\n");
    assertThat(kubectl("patch", "svc", "s1", "-n", "default", "--type", "json", "-p",
        "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"x\":\"y\"}}]", "-o", "jsonpath={.metadata.labels.x}"))
        .isEqualTo("y");
    assertThat(kubectlFails("patch", "svc", "s1", "-n", "default", "--type", "json", "-p",
        "[{\"op\":\"remove\",\"path\":\"/spec/nothere\"}]")).startsWith("The Service \"s1\" is invalid: ");
    // a custom resource takes no strategic merge patch (kubectl's default type)
    assertThat(kubectlFails("patch", "configs.imageregistry.operator.openshift.io", "cluster", "-p",
        "{\"spec\":{\"replicas\":1}}")).contains("application/strategic-merge-patch+json is not supported by "
        + "imageregistry.operator.openshift.io/v1, Kind=Config: the body of the request was in an unknown format - accepted "
        + "media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
    assertThat(kubectl("delete", "-f", service.toString())).isEqualTo("service \"s1\" deleted\n");
  }

  @Test
  @DisplayName("status: a merge patch replaces a route's status.ingress; the object's endpoint never changes status")
  void statusSubresource() throws Exception {
    Path route = write("route.yaml", "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r1, namespace: default}\n"
        + "spec:\n  host: r1.example.com\n  to: {kind: Service, name: x}\n");
    kubectl("apply", "-f", route.toString());
    String hosts = "jsonpath={.status.ingress[*].host}";
    // items 8 and 9: the list is replaced (not appended to), and a change is reported as one
    assertThat(kubectl("patch", "route", "r1", "-n", "default", "--subresource=status", "--type", "merge", "-p",
        "{\"status\":{\"ingress\":[{\"host\":\"a\",\"routerName\":\"x\"}]}}", "-o", hosts)).isEqualTo("a");
    assertThat(kubectl("patch", "route", "r1", "-n", "default", "--subresource=status", "--type", "merge", "-p",
        "{\"status\":{\"ingress\":[{\"host\":\"b\",\"routerName\":\"y\"}]}}")).isEqualTo("route.route.openshift.io/r1 patched\n");
    // the object's endpoint never changes status (the router may be adding its own entry back meanwhile,
    // as each router owns its entry, so the answer is judged, not kubectl's "no change")
    assertThat(List.of(kubectl("patch", "route", "r1", "-n", "default", "--type", "merge", "-p",
        "{\"status\":{\"ingress\":[{\"host\":\"c\"}]}}", "-o", hosts).split(" "))).contains("b").doesNotContain("c");
    assertThat(List.of(kubectl("get", "route", "r1", "-n", "default", "-o", hosts).split(" "))).contains("b")
        .doesNotContain("c");
    kubectl("delete", "route", "r1", "-n", "default");
  }

  @Test
  @DisplayName("watch streams events over HTTP (kubectl get -w), and kubectl wait sees a condition met")
  void watchAndWait() throws Exception {
    List<String> command = new ArrayList<>(base());
    command.addAll(List.of("get", "secrets", "-n", "default", "-w", "--request-timeout=20s"));
    Path output = workDir.resolve("watch.out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("HOME", workDir.toString());
    builder.environment().remove("KUBECONFIG");
    Process watch = builder.start();
    try {
      Thread.sleep(1500); // the list, then the watch from its resourceVersion
      kubectl("create", "secret", "generic", "watched", "-n", "default", "--from-literal=a=b");
      kubectl("delete", "secret", "watched", "-n", "default");
      assertThat(watch.waitFor(5, TimeUnit.SECONDS)).isFalse(); // still watching
      watch.destroy();
      watch.waitFor(5, TimeUnit.SECONDS);
      String out = Files.readString(output);
      // ADDED and DELETED, each a line; nothing from before the list
      assertThat(out.lines().filter(l -> l.startsWith("watched ")).count()).as(out).isEqualTo(2);
    } finally {
      watch.destroyForcibly();
    }
    assertThat(kubectl("wait", "--for=jsonpath={.spec.managementState}=Removed",
        "configs.imageregistry.operator.openshift.io/cluster", "--timeout=10s"))
        .isEqualTo("config.imageregistry.operator.openshift.io/cluster condition met\n");
  }

  /** The minor version of kubectl's client ({@code kubectl version --client -o json}). */
  private static int clientMinor() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(KUBECTL.toString(), "version", "--client", "-o", "json").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("\"minor\"\\s*:\\s*\"(\\d+)").matcher(out);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private Path write(String name, String content) throws IOException {
    Path file = workDir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private List<String> base() {
    return new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", lab.kubeconfig().toString(), "--cache-dir",
        workDir.resolve("kube-cache").toString()));
  }

  /** kubectl's output when it exits 1 (an error from the server). */
  /** Waits until no controller writes the object any more (its resourceVersion stays for half a second). */
  private void settled(String printed) throws IOException, InterruptedException {
    String before = "";
    for (int i = 0; i < 20; i++) {
      String now = kubectl("get", printed, "-n", "default", "-o", "jsonpath={.metadata.resourceVersion}");
      if (now.equals(before)) {
        return;
      }
      before = now;
      Thread.sleep(500);
    }
  }

  private String kubectlFails(String... args) throws IOException, InterruptedException {
    return run(1, args);
  }

  private String kubectl(String... args) throws IOException, InterruptedException {
    return run(0, args);
  }

  private String run(int exit, String... args) throws IOException, InterruptedException {
    List<String> command = base();
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HOME", workDir.toString());
    builder.environment().remove("KUBECONFIG");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl %s:%n%s", String.join(" ", args), out).isEqualTo(exit);
    return out;
  }
}
