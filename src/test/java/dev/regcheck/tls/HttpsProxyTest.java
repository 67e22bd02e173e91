package dev.regcheck.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.lab.ingress.ConnectProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTPS_PROXY and NO_PROXY as Go's httpproxy reads them (oc, podman), and CONNECT through the lab's proxy. */
class HttpsProxyTest {

  private static HttpsProxy proxy(String noProxy) {
    return HttpsProxy.fromEnvironment(Map.of("HTTPS_PROXY", "proxy.example:3128", "NO_PROXY", noProxy)).orElseThrow();
  }

  @Test
  void noProxyAsGoReadsIt() {
    HttpsProxy p = proxy("example.com, .internal.lan,10.0.0.0/8,192.168.1.5,api.cluster.lab:6443");
    assertThat(p.describe()).isEqualTo("http://proxy.example:3128");
    assertThat(p.appliesTo("registry.apps.cluster.lab", 443)).isTrue();
    // a name: itself and its subdomains; a leading dot: subdomains only
    assertThat(p.appliesTo("example.com", 443)).isFalse();
    assertThat(p.appliesTo("www.example.com", 443)).isFalse();
    assertThat(p.appliesTo("notexample.com", 443)).isTrue();
    assertThat(p.appliesTo("internal.lan", 443)).isTrue();
    assertThat(p.appliesTo("a.internal.lan", 443)).isFalse();
    // addresses and ranges; a port-specific entry
    assertThat(p.appliesTo("10.1.2.3", 443)).isFalse();
    assertThat(p.appliesTo("11.1.2.3", 443)).isTrue();
    assertThat(p.appliesTo("192.168.1.5", 5000)).isFalse();
    assertThat(p.appliesTo("api.cluster.lab", 6443)).isFalse();
    assertThat(p.appliesTo("api.cluster.lab", 443)).isTrue();
    // never for localhost and loopback, whatever NO_PROXY says
    assertThat(p.appliesTo("localhost", 443)).isFalse();
    assertThat(p.appliesTo("127.0.0.1", 443)).isFalse();
    assertThat(p.appliesTo("::1", 443)).isFalse();
    assertThat(proxy("*").appliesTo("anything.example", 443)).isFalse();
  }

  @Test
  void unsetEmptyOrLowerCase() {
    assertThat(HttpsProxy.fromEnvironment(Map.of())).isEmpty();
    assertThat(HttpsProxy.fromEnvironment(Map.of("HTTPS_PROXY", ""))).isEmpty();
    assertThat(HttpsProxy.fromEnvironment(Map.of("https_proxy", "http://u:p%40ss@proxy:8080", "no_proxy", ".svc")))
        .hasValueSatisfying(p -> {
          assertThat(p.describe()).isEqualTo("http://proxy:8080").doesNotContain("p%40ss");
          assertThat(p.credentials()).contains("u:p@ss");
          assertThat(p.appliesTo("image-registry.openshift-image-registry.svc", 5000)).isFalse();
        });
    assertThatThrownBy(() -> HttpsProxy.fromEnvironment(Map.of("HTTPS_PROXY", "socks5://u:secret@proxy:1080")))
        .hasMessageContaining("HTTPS_PROXY must be http://host:port").hasMessageNotContaining("secret");
  }

  @Test
  void connectGoesThroughTheProxyWhichResolvesTheName() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        ConnectProxy lab = ConnectProxy.start(Map.of("*.apps.cluster.lab",
            new InetSocketAddress("127.0.0.1", echo.getLocalPort())))) {
      Thread server = new Thread(() -> {
        try (Socket s = echo.accept()) {
          s.getOutputStream().write(s.getInputStream().read() + 1);
        } catch (IOException e) {
          // the test fails on its own read
        }
      });
      server.start();
      HttpsProxy p = HttpsProxy.fromEnvironment(Map.of("HTTPS_PROXY", lab.url())).orElseThrow();
      try (Socket tunnel = p.connect("registry.apps.cluster.lab", 443, Duration.ofSeconds(5))) {
        tunnel.getOutputStream().write(41);
        assertThat(tunnel.getInputStream().read()).isEqualTo(42);
      }
      server.join(5_000);
      assertThat(lab.tunnels()).containsExactly("registry.apps.cluster.lab:443");
      assertThatThrownBy(() -> p.connect("unknown.example", 443, Duration.ofSeconds(5)))
          .hasMessageContaining("refused CONNECT unknown.example:443: HTTP/1.1 502 Bad Gateway");
    }
  }
}
