package dev.regcheck.lab.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.LabDriver;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.faults.FaultSeed;
import dev.regcheck.testlab.EmbeddedLabTest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code pods/<name>/portforward} as a cluster serves it: authorized like any request, answered
 * by the kubelet's WebSocket protocol (v4.channel.k8s.io) to the pod's own registry process, and a
 * port nothing listens on failing on first use with the kubelet's error. The lab has
 * port-forward-crashloop-first: a hand-made registry pod that crash-loops sorts first.
 */
@EmbeddedLabTest(faults = Fault.PORT_FORWARD_CRASHLOOP_FIRST)
class PortForwardTest {
  private static final String NS = "openshift-image-registry";
  static EmbeddedLab lab;
  static OpenShiftClient user;
  static String ready;

  @BeforeAll
  static void start(EmbeddedLab classLab, OpenShiftClient userClient) {
    lab = classLab;
    user = userClient;
    LabDriver.applySteps(lab, user, Set.of());
    ready = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> user.pods()
        .inNamespace(NS).withLabel("docker-registry", "default").list().getItems().stream()
        .filter(p -> !p.getMetadata().getName().equals(FaultSeed.CANARY_POD) && ready(p))
        .map(p -> p.getMetadata().getName()).findFirst().orElse(null), name -> name != null);
    await().atMost(Duration.ofSeconds(30)).until(() -> restarts(user.pods().inNamespace(NS)
        .withName(FaultSeed.CANARY_POD).get()) > 0);
  }

  @Test
  @DisplayName("a client library's service port-forward takes the first labelled pod, the crash-looping one, "
      + "and fails on first use with the kubelet's error (and listens on every address)")
  void theTrapIsReal() throws Exception {
    List<Pod> listed = user.pods().inNamespace(NS).withLabel("docker-registry", "default").list().getItems();
    assertThat(listed.get(0).getMetadata().getName()).isEqualTo(FaultSeed.CANARY_POD);
    assertThat(listed.get(0).getStatus().getContainerStatuses().get(0).getReady()).isFalse();
    try (LocalPortForward naive = user.services().inNamespace(NS).withName("image-registry").portForward(5000)) {
      assertThat(naive.getLocalAddress().isAnyLocalAddress()).as("fabric8's default bind address").isTrue();
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), naive.getLocalPort())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(1);
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
      await().atMost(Duration.ofSeconds(5)).until(naive::errorOccurred);
      assertThat(naive.getServerThrowables()).anySatisfy(t -> assertThat(t.getMessage())
          .contains("error forwarding port 5000 to pod " + user.pods().inNamespace(NS).withName(FaultSeed.CANARY_POD)
              .get().getMetadata().getUid())
          .contains("connect: connection refused"));
    }
  }

  @Test
  @DisplayName("to a Ready pod, on 127.0.0.1: the registry's own TLS and HTTP come through both ways")
  void aReadyPodIsReached() throws Exception {
    try (LocalPortForward forward = user.pods().inNamespace(NS).withName(ready)
        .portForward(5000, InetAddress.getLoopbackAddress(), 0)) {
      assertThat(forward.getLocalAddress().isLoopbackAddress()).isTrue();
      try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort());
          SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, "127.0.0.1",
              forward.getLocalPort(), true)) {
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        X509Certificate served = (X509Certificate) tls.getSession().getPeerCertificates()[0];
        assertThat(served.getSubjectAlternativeNames()).anySatisfy(san ->
            assertThat(san.get(1)).isEqualTo("image-registry.openshift-image-registry.svc"));
        tls.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: image-registry.openshift-image-registry.svc:5000\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        InputStream in = tls.getInputStream();
        String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(answer).startsWith("HTTP/1.1 401").contains("/openshift/token");
      }
      assertThat(forward.errorOccurred()).isFalse();
    }
    assertThat(lab.requests()).anySatisfy(e -> {
      assertThat(e.method()).isEqualTo("GET");
      assertThat(e.path()).startsWith("/api/v1/namespaces/" + NS + "/pods/" + ready + "/portforward?ports=5000");
      assertThat(e.actor()).isEqualTo(lab.userActor());
      assertThat(e.status()).isEqualTo(101);
    });
  }

  @Test
  @DisplayName("the API server decides first: anonymous 403 in kube-apiserver's words, an unknown pod 404, "
      + "a request without an upgrade or without ports 400")
  void refusals() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).build();
    String base = lab.apiUrl() + "/api/v1/namespaces/" + NS + "/pods/";
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + ready + "/portforward?ports=5000"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).contains("pods \\\"" + ready + "\\\" is forbidden: User \\\"system:anonymous\\\" cannot get "
        + "resource \\\"pods/portforward\\\" in API group \\\"\\\" in the namespace \\\"" + NS + "\\\"");
    String token = "Bearer " + io.fabric8.kubernetes.client.Config.fromKubeconfig(
        java.nio.file.Files.readString(lab.kubeconfig())).getAutoOAuthToken();
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "nope/portforward?ports=5000"))
        .header("Authorization", token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("pods \\\"nope\\\" not found");
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(base + ready + "/portforward?ports=5000"))
        .header("Authorization", token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(plain.body()).contains("Upgrade request required");
    HttpResponse<String> noPorts = http.send(HttpRequest.newBuilder(URI.create(base + ready + "/portforward"))
        .header("Authorization", token).header("Sec-WebSocket-Protocol", "v4.channel.k8s.io")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noPorts.statusCode()).isEqualTo(400);
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int restarts(Pod p) {
    return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        || p.getStatus().getContainerStatuses().isEmpty() ? 0 : p.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  private static SSLContext trustAll() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    return context;
  }
}
