package dev.regcheck.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.result.Redactor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's recording: what the API answered, kept as the run last saw it, written as {@code oc get}
 * files the capture reader takes back with the right proof of absence, and nothing secret in it.
 */
class RecordingTest {
  static final String NS = "openshift-image-registry";
  static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2l0aGVyZQ==\n-----END CERTIFICATE-----\n";
  static final String KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBmZ2V0c29tZXRoaW5n\n-----END EC PRIVATE KEY-----\n";
  static final String TOKEN = "sha256~abcdefghijklmnopqrstuvwxyz0123456789";

  @TempDir
  Path dir;

  private final Recording recording = new Recording();

  private void get(String pathAndQuery, int code, String body) {
    recording.read(URI.create("https://api.lab:6443" + pathAndQuery), code, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String pvc(String name, String rv) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + NS + "\",\"resourceVersion\":\"" + rv
        + "\"},\"spec\":{\"storageClassName\":\"\"}}";
  }

  private Capture readBack() throws Exception {
    assertThat(recording.write(dir.resolve("rec"), Redactor.withSecrets(List.of(TOKEN)), Instant.parse(
        "2026-12-06T10:00:00Z"), (apiVersion, plural) -> java.util.Optional.empty())).isPositive();
    return CaptureReader.read(dir.resolve("rec"), Files.createDirectories(dir.resolve("scratch")));
  }

  private static Map<String, CapturedObject> byKey(Capture capture) {
    return capture.objects().stream().collect(Collectors.toMap(CapturedObject::key, Function.identity()));
  }

  @Test
  void aWholeListProvesAbsenceWhereItWasTakenAndAPartialOneDoesNot() throws Exception {
    // the claims of one namespace, listed whole: an empty answer is proof there are none there
    get("/api/v1/namespaces/" + NS + "/persistentvolumeclaims", 200,
        "{\"kind\":\"PersistentVolumeClaimList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[]}");
    // nodes across the cluster, whole; pods chosen by a label: proof of nothing else
    get("/api/v1/nodes", 200, "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"items\":[{\"metadata\":{\"name\":\"master-0\"}}]}");
    get("/api/v1/namespaces/" + NS + "/pods?labelSelector=docker-registry%3Ddefault", 200,
        "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"image-registry-1\","
            + "\"namespace\":\"" + NS + "\"}}]}");
    // a named get of an object in a kind never listed
    get("/apis/imageregistry.operator.openshift.io/v1/configs/cluster", 200,
        "{\"kind\":\"Config\",\"apiVersion\":\"imageregistry.operator.openshift.io/v1\",\"metadata\":{\"name\":\"cluster\"}}");

    Capture capture = readBack();
    assertThat(capture.kind()).isEqualTo(Capture.Kind.OC_GET);
    assertThat(capture.capturedAt()).contains(Instant.parse("2026-12-06T10:00:00Z"));
    assertThat(byKey(capture)).containsOnlyKeys("/Node//master-0", "/Pod/" + NS + "/image-registry-1",
        "imageregistry.operator.openshift.io/Config//cluster");
    assertThat(capture.holdsAll("", "PersistentVolumeClaim", NS)).isTrue();
    assertThat(capture.holdsAll("", "PersistentVolumeClaim", "default")).isFalse();
    assertThat(capture.holdsAll("", "Node", "")).isTrue();
    assertThat(capture.holdsAll("", "Pod", NS)).as("pods were only chosen by a label").isFalse();
    assertThat(capture.complete()).contains(new Capture.Scope("", "Pod", NS, "docker-registry=default", ""));
    assertThat(capture.holdsAll("imageregistry.operator.openshift.io", "Config", "")).isFalse();
  }

  @Test
  void theLastAnswerWinsAndWhatTheClusterNoLongerHoldsIsForgotten() throws Exception {
    String list = "/api/v1/namespaces/" + NS + "/persistentvolumeclaims";
    get(list + "/a", 200, pvc("a", "1"));
    get(list + "/a", 200, pvc("a", "7")); // read again after a change
    get(list + "/b", 200, pvc("b", "2"));
    get(list + "/b", 404, "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}"); // then gone
    get(list + "/c", 200, pvc("c", "3"));
    recording.deleted(URI.create("https://api.lab:6443" + list + "/c")); // the run deleted it
    get(list + "/d", 200, pvc("d", "4"));
    get(list + "/e", 200, pvc("e", "5"));
    // a whole list read in two pages: "e" is in neither, so it is gone too
    get(list + "?limit=1", 200, "{\"kind\":\"PersistentVolumeClaimList\",\"apiVersion\":\"v1\","
        + "\"metadata\":{\"continue\":\"t1\"},\"items\":[" + pvc("a", "7") + "]}");
    assertThat(recording.size()).isEqualTo(3);
    get(list + "?limit=1&continue=t1", 200, "{\"kind\":\"PersistentVolumeClaimList\",\"apiVersion\":\"v1\","
        + "\"metadata\":{},\"items\":[" + pvc("d", "4") + "]}");

    Capture capture = readBack();
    assertThat(byKey(capture)).containsOnlyKeys("/PersistentVolumeClaim/" + NS + "/a", "/PersistentVolumeClaim/" + NS + "/d");
    assertThat(byKey(capture).get("/PersistentVolumeClaim/" + NS + "/a").object().path("metadata")
        .path("resourceVersion").asText()).isEqualTo("7");
    assertThat(capture.holdsAll("", "PersistentVolumeClaim", NS)).isTrue();
  }

  @Test
  void aListLeftBeforeItsLastPageProvesNothing() throws Exception {
    get("/api/v1/namespaces/" + NS + "/events?limit=1", 200, "{\"kind\":\"EventList\",\"apiVersion\":\"v1\","
        + "\"metadata\":{\"continue\":\"t1\"},\"items\":[{\"metadata\":{\"name\":\"e1\",\"namespace\":\"" + NS + "\"}}]}");
    Capture capture = readBack();
    assertThat(byKey(capture)).containsOnlyKeys("/Event/" + NS + "/e1");
    assertThat(capture.holdsAll("", "Event", NS)).isFalse();
  }

  @Test
  void watchesLogsSubresourcesFailuresAndTokensAreNotRecorded() throws Exception {
    assertThat(recording.wants("GET", URI.create("/api/v1/namespaces/x/pods?watch=true"))).isFalse();
    assertThat(recording.wants("GET", URI.create("/api/v1/namespaces/x/pods/p/log"))).isTrue();
    assertThat(recording.wants("GET", URI.create("/api/v1/namespaces/x/pods/p/exec"))).isFalse();
    assertThat(recording.wants("POST", URI.create("/api/v1/namespaces/x/pods"))).isFalse();
    assertThat(recording.wants("GET", URI.create("/apis/oauth.openshift.io/v1/oauthaccesstokens/" + TOKEN))).isFalse();
    assertThat(recording.wants("GET", URI.create("/version"))).isFalse();
    assertThat(recording.wants("GET", URI.create("/api/v1/namespaces/x"))).isTrue();
    assertThat(recording.wants("GET", URI.create("/apis/route.openshift.io/v1/namespaces/x/routes"))).isTrue();
    get("/apis/oauth.openshift.io/v1/oauthaccesstokens/" + TOKEN, 200,
        "{\"kind\":\"OAuthAccessToken\",\"metadata\":{\"name\":\"" + TOKEN + "\"},\"userName\":\"admin\"}");
    get("/api/v1/namespaces/x/pods/p/log", 200, "registry listening on :5000");
    get("/api/v1/namespaces/x/pods/q", 500, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"q\",\"namespace\":\"x\"}}");
    get("/api/v1/namespaces/x", 200, "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}");
    assertThat(recording.size()).isEqualTo(1);
    assertThat(byKey(readBack())).containsOnlyKeys("/Namespace//x");
  }

  @Test
  void nothingSecretIsWritten() throws Exception {
    get("/api/v1/namespaces/" + NS + "/secrets/registry", 200, "{\"kind\":\"Secret\",\"apiVersion\":\"v1\","
        + "\"metadata\":{\"name\":\"registry\",\"namespace\":\"" + NS + "\",\"annotations\":{"
        + "\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"data\\\":{\\\"tls.key\\\":\\\"" + b64(KEY) + "\\\"}}\"}},"
        + "\"type\":\"kubernetes.io/tls\",\"data\":{\"tls.crt\":\"" + b64(CERT) + "\",\"tls.key\":\"" + b64(KEY) + "\","
        + "\"ca.crt\":\"" + b64(CERT + KEY) + "\",\"password\":\"" + b64("hunter2-lab") + "\"},"
        + "\"stringData\":{\"token\":\"plain\"}}");
    get("/apis/route.openshift.io/v1/namespaces/" + NS + "/routes/registry", 200, "{\"kind\":\"Route\","
        + "\"apiVersion\":\"route.openshift.io/v1\",\"metadata\":{\"name\":\"registry\",\"namespace\":\"" + NS + "\"},"
        + "\"spec\":{\"host\":\"registry.apps.lab\",\"tls\":{\"termination\":\"reencrypt\",\"certificate\":"
        + "\"" + CERT.replace("\n", "\\n") + "\",\"key\":\"" + KEY.replace("\n", "\\n") + "\"}}}");
    get("/api/v1/namespaces/" + NS + "/configmaps/notes", 200, "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\","
        + "\"metadata\":{\"name\":\"notes\",\"namespace\":\"" + NS + "\"},\"data\":{\"login\":\"oc login --token="
        + TOKEN + "\"}}");

    Map<String, CapturedObject> read = byKey(readBack());
    var secret = read.get("/Secret/" + NS + "/registry").object();
    // key names stay (a check may ask whether tls.key is there); values do not, certificates alone excepted
    assertThat(secret.path("data").path("tls.crt").asText()).isEqualTo(b64(CERT));
    assertThat(secret.path("data").path("tls.key").asText()).isIn("", "<redacted>");
    assertThat(secret.path("data").path("ca.crt").asText()).as("a certificate key holding a key too").isIn("", "<redacted>");
    assertThat(secret.path("data").path("password").asText()).isIn("", "<redacted>");
    assertThat(secret.has("stringData")).isFalse();
    assertThat(read.get("route.openshift.io/Route/" + NS + "/registry").object().path("spec").path("tls").path("key").asText()).isEmpty();
    try (Stream<Path> files = Files.walk(dir.resolve("rec"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("PRIVATE KEY", TOKEN, b64(KEY),
            b64("hunter2-lab"), "plain");
      }
    }
  }

  @Test
  void aNotFoundIsProofOfAbsenceNamedByDiscoveryWhenTheRunNeverSawTheKind() throws Exception {
    get("/apis/apps/v1/namespaces/" + NS + "/deployments/image-registry", 404,
        "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}");
    get("/api/v1/namespaces/" + NS + "/services/image-registry", 404, "{\"kind\":\"Status\",\"code\":404}");
    // read before and gone after: the last answer stands
    get("/api/v1/persistentvolumes/internal-registry", 200, "{\"kind\":\"PersistentVolume\",\"apiVersion\":\"v1\","
        + "\"metadata\":{\"name\":\"internal-registry\"}}");
    get("/api/v1/persistentvolumes/internal-registry", 404, "{\"kind\":\"Status\",\"code\":404}");
    // absent, then there: no longer absent
    get("/api/v1/namespaces/" + NS + "/configmaps/c", 404, "{\"kind\":\"Status\",\"code\":404}");
    get("/api/v1/namespaces/" + NS + "/configmaps/c", 200, "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\","
        + "\"metadata\":{\"name\":\"c\",\"namespace\":\"" + NS + "\"}}");
    assertThat(recording.write(dir.resolve("rec"), Redactor.shapesOnly(), Instant.now(), (apiVersion, plural) ->
        apiVersion.equals("apps/v1") && plural.equals("deployments") ? java.util.Optional.of("Deployment")
            : java.util.Optional.empty())).isEqualTo(1);
    Capture capture = CaptureReader.read(dir.resolve("rec"), Files.createDirectories(dir.resolve("scratch")));
    assertThat(capture.complete()).contains(
        new Capture.Scope("apps", "Deployment", NS, "", "metadata.name=image-registry"),
        new Capture.Scope("", "PersistentVolume", Capture.ALL_NAMESPACES, "", "metadata.name=internal-registry"));
    // services were never named by anything: that absence cannot be written, so it proves nothing
    assertThat(capture.complete()).noneMatch(sc -> sc.kind().equals("Service"))
        .noneMatch(sc -> sc.kind().equals("ConfigMap"));
    assertThat(byKey(capture)).containsOnlyKeys("/ConfigMap/" + NS + "/c");
  }

  @Test
  void podLogsAreWrittenWhereMustGatherWritesThem() throws Exception {
    get("/api/v1/namespaces/" + NS + "/pods/image-registry-1", 200, "{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
        + "\"metadata\":{\"name\":\"image-registry-1\",\"namespace\":\"" + NS + "\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"registry\"}]}}");
    get("/api/v1/namespaces/" + NS + "/pods/image-registry-1/log?pretty=false&previous=true&tailLines=5", 200,
        "level=info msg=\"starting\"\nlevel=fatal msg=\"tls: failed to parse private key\" token=" + TOKEN + "\n");
    assertThat(recording.wants("GET", URI.create("/api/v1/namespaces/x/pods/p/log?follow=true"))).isFalse();
    Capture capture = readBack();
    assertThat(dir.resolve("rec/namespace/" + NS + "/pods/image-registry-1/registry/registry/logs/previous.log"))
        .exists().content().doesNotContain(TOKEN);
    assertThat(capture.logs()).containsOnlyKeys(new Capture.PodLog(NS, "image-registry-1", true));
    assertThat(capture.logs().get(new Capture.PodLog(NS, "image-registry-1", true))).hasSize(2)
        .last().asString().startsWith("level=fatal msg=\"tls: failed to parse private key\"");
  }

  @Test
  void requestPathsAreResolvedAsTheApiServerRoutesThem() {
    assertThat(Recording.target("/api/v1/namespaces/ns1/pods/p1/log")).contains(
        new Recording.Target("v1", "ns1", "pods", "p1", "log"));
    assertThat(Recording.target("/api/v1/namespaces/ns1")).contains(new Recording.Target("v1", null, "namespaces", "ns1", null));
    assertThat(Recording.target("/api/v1/namespaces/ns1/status")).contains(
        new Recording.Target("v1", null, "namespaces", "ns1", "status"));
    assertThat(Recording.target("/api/v1/namespaces")).contains(new Recording.Target("v1", null, "namespaces", null, null));
    assertThat(Recording.target("/apis/image.openshift.io/v1/images/sha256:ab")).contains(
        new Recording.Target("image.openshift.io/v1", null, "images", "sha256:ab", null));
    assertThat(Recording.target("/apis/apps/v1/namespaces/n/deployments")).contains(
        new Recording.Target("apps/v1", "n", "deployments", null, null));
    assertThat(Recording.target("/version")).isEmpty();
    assertThat(Recording.target("/apis/apps/v1")).isEmpty();
  }

  @Test
  void readsOfTheSameKindFromSeveralNamespacesGoToSeveralFiles() throws IOException {
    get("/api/v1/namespaces/a/configmaps/x", 200, "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\",\"namespace\":\"a\"}}");
    get("/api/v1/namespaces/b/configmaps/x", 200, "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\",\"namespace\":\"b\"}}");
    assertThat(recording.write(dir.resolve("rec"), Redactor.shapesOnly(), Instant.now(),
        (apiVersion, plural) -> java.util.Optional.empty())).isEqualTo(2);
    assertThat(dir.resolve("rec/namespace/a/configmaps.yaml")).content().contains("namespace: \"a\"");
    assertThat(dir.resolve("rec/namespace/b/configmaps.yaml")).content().contains("namespace: \"b\"");
  }
}
