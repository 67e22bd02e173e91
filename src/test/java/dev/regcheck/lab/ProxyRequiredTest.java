package dev.regcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.lab.faults.Fault;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.tls.HttpsProxy;
import dev.regcheck.tls.ServedChain;
import io.fabric8.openshift.client.OpenShiftClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * proxy-required: the workstation reaches the API and the routes only through the site's proxy.
 * The kubeconfig names {@code api.<domain>}, which only the proxy resolves; the API front and the
 * router close connections that do not come from it; the lab publishes no DNS; the workstation's
 * environment names the proxy. A client that ignores HTTPS_PROXY cannot get a handshake.
 */
@EmbeddedLabTest(faults = Fault.PROXY_REQUIRED)
class ProxyRequiredTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String ROUTE_HOST = "default-route-openshift-image-registry.apps.cluster1.xiaohui.cn";

  @Test
  void onlyThroughTheProxy(EmbeddedLab lab, OpenShiftClient user) throws Exception {
    Map<String, String> env = LabFiles.runEnvironment(lab.kubeconfig().getParent());
    HttpsProxy proxy = HttpsProxy.fromEnvironment(env).orElseThrow();
    assertThat(env.get("NO_PROXY")).contains(".svc");
    URI api = URI.create(lab.apiUrl());
    assertThat(api.getHost()).isEqualTo("api.cluster1.xiaohui.cn");
    // the workstation has no DNS for the cluster's names, and the lab publishes none
    assertThat(LabNotes.dns(user)).isEmpty();
    assertThat(user.getKubernetesVersion()).as("the user's client, through HTTPS_PROXY").isNotNull();

    // through the proxy: the API's and the router's certificates
    assertThat(ServedChain.capture(InetSocketAddress.createUnresolved(api.getHost(), api.getPort()), api.getHost(),
        api.getPort(), TIMEOUT, Optional.of(proxy))).isNotEmpty();
    assertThat(ServedChain.capture(InetSocketAddress.createUnresolved(ROUTE_HOST, 443), ROUTE_HOST, 443, TIMEOUT,
        Optional.of(proxy))).isNotEmpty();

    // straight to the same servers: closed before any handshake
    assertThatThrownBy(() -> ServedChain.capture(new InetSocketAddress("127.0.0.1", api.getPort()), api.getHost(),
        TIMEOUT)).isInstanceOf(java.io.IOException.class);
    int router = lab.routerPort().orElseThrow();
    assertThatThrownBy(() -> ServedChain.capture(new InetSocketAddress("127.0.0.1", router), ROUTE_HOST, TIMEOUT))
        .isInstanceOf(java.io.IOException.class);
  }
}
