package dev.regcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.operator.v1.OperatorCondition;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import io.fabric8.openshift.api.model.RouteBuilder;
import io.fabric8.openshift.api.model.RouteStatusBuilder;
import dev.regcheck.lab.ingress.IngressOperator;
import dev.regcheck.lab.seed.ClusterSeed;
import dev.regcheck.lab.operators.ImageRegistryOperator;
import dev.regcheck.lab.apiserver.ApiServer;
import dev.regcheck.lab.apiserver.Identities;
import dev.regcheck.lab.apiserver.RequestLog;

/**
 * The registry operator's routes (openshift-facts.md §2.7) and the ingress operator's certificates
 * (§9), against the API mock with the operators' reconcile called directly: no processes.
 */
class RegistryRoutesTest {
  static final String NS = LabDriver.SETTINGS.namespace();
  static final String APPS = LabDriver.SETTINGS.appsDomain();

  private ApiServer api;
  private OpenShiftClient client;
  private ImageRegistryOperator operator;

  @BeforeEach
  void start() throws Exception {
    Identities identities = new Identities(LabDriver.SETTINGS.user());
    api = ApiServer.start(identities, new RequestLog(), "api.cluster1.example.com");
    client = api.client(identities.controlPlaneToken());
    ClusterSeed.seed(client, LabDriver.SETTINGS, Set.of());
    operator = new ImageRegistryOperator(client, NS, APPS, false);
    operator.reconcile();
    LabDriver.patchConfig(client, "{\"spec\":{\"managementState\":\"Managed\",\"storage\":{\"emptyDir\":{}}}}");
    operator.reconcile();
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  @DisplayName("defaultRoute false -> true -> false creates, then deletes default-route")
  void defaultRouteFollowsTheSpec() {
    assertThat(route("default-route")).isNull();
    LabDriver.patchConfig(client, "{\"spec\":{\"defaultRoute\":true}}");
    operator.reconcile();
    Route route = route("default-route");
    assertThat(route.getSpec().getHost()).isEqualTo("default-route-openshift-image-registry." + APPS);
    assertThat(route.getSpec().getTo().getKind()).isEqualTo("Service");
    assertThat(route.getSpec().getTo().getName()).isEqualTo("image-registry");
    assertThat(route.getSpec().getTls().getTermination()).isEqualTo("reencrypt");
    assertThat(route.getSpec().getTls().getDestinationCACertificate()).isNull();
    assertThat(route.getSpec().getTls().getInsecureEdgeTerminationPolicy()).isNull();
    assertThat(route.getMetadata().getAnnotations()).containsEntry("imageregistry.openshift.io", "true");
    LabDriver.patchConfig(client, "{\"spec\":{\"defaultRoute\":false}}");
    operator.reconcile();
    assertThat(route("default-route")).isNull();
  }

  @Test
  @DisplayName("a spec.routes secret that does not exist: Progressing=True reason Error, no route")
  void missingSecretIsARetriableError() {
    LabDriver.patchConfig(client, "{\"spec\":{\"routes\":[{\"name\":\"public\",\"hostname\":\"registry." + APPS
        + "\",\"secretName\":\"absent-tls\"}]}}");
    operator.reconcile();
    OperatorCondition progressing = condition("Progressing");
    assertThat(progressing.getStatus()).isEqualTo("True");
    assertThat(progressing.getReason()).isEqualTo("Error");
    assertThat(progressing.getMessage()).contains("secret \"absent-tls\" not found");
    assertThat(route("public")).isNull();
  }

  @Test
  @DisplayName("a spec.routes secret's tls.crt, tls.key and tls.cacrt become the route's TLS, and follow the secret")
  void secretBecomesRouteTls() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("public-tls")
        .endMetadata().addToData("tls.crt", b64("CRT1")).addToData("tls.key", b64("KEY"))
        .addToData("tls.cacrt", b64("CA")).build()).create();
    LabDriver.patchConfig(client, "{\"spec\":{\"routes\":[{\"name\":\"public\",\"secretName\":\"public-tls\"}]}}");
    operator.reconcile();
    Route route = route("public");
    assertThat(route.getSpec().getHost()).isEqualTo("public-openshift-image-registry." + APPS);
    assertThat(route.getSpec().getTls().getCertificate()).isEqualTo("CRT1");
    assertThat(route.getSpec().getTls().getKey()).isEqualTo("KEY");
    assertThat(route.getSpec().getTls().getCaCertificate()).isEqualTo("CA");
    client.secrets().inNamespace(NS).withName("public-tls").edit(s -> {
      s.getData().put("tls.crt", b64("CRT2"));
      return s;
    });
    operator.reconcile();
    assertThat(route("public").getSpec().getTls().getCertificate()).isEqualTo("CRT2");
    LabDriver.patchConfig(client, "{\"spec\":{\"routes\":null}}");
    operator.reconcile();
    assertThat(route("public")).isNull();
  }

  @Test
  @DisplayName("externalRegistryHostnames: none until a router reports the hosts; then default-route's first, the others sorted (CIRO getRouteHostnames); cleared when none")
  void externalHostnamesOrder() {
    LabDriver.patchConfig(client, "{\"spec\":{\"defaultRoute\":true,\"routes\":[{\"name\":\"zz\",\"hostname\":\"zz."
        + APPS + "\"},{\"name\":\"aa\",\"hostname\":\"aa." + APPS + "\"}]}}");
    operator.reconcile();
    operator.reconcile();
    assertThat(client.config().images().withName("cluster").get().getStatus().getExternalRegistryHostnames())
        .as("no router has taken the routes").isNullOrEmpty();
    for (String name : List.of("zz", "default-route", "aa")) {
      Route r = route(name);
      r.setStatus(new RouteStatusBuilder().addNewIngress().withHost(r.getSpec().getHost())
          .withRouterName("default").endIngress().build());
      client.resource(r).updateStatus();
    }
    operator.reconcile();
    assertThat(client.config().images().withName("cluster").get().getStatus().getExternalRegistryHostnames())
        .containsExactly("default-route-openshift-image-registry." + APPS, "aa." + APPS, "zz." + APPS);
    LabDriver.patchConfig(client, "{\"spec\":{\"defaultRoute\":false,\"routes\":null}}");
    operator.reconcile();
    operator.reconcile();
    assertThat(client.config().images().withName("cluster").get().getStatus().getExternalRegistryHostnames())
        .isNullOrEmpty();
  }

  @Test
  @DisplayName("Removed deletes the operator's routes and clears externalRegistryHostnames, and leaves other routes")
  void removedDeletesRoutes() {
    client.routes().inNamespace(NS).resource(new RouteBuilder().withNewMetadata()
        .withName("someone-elses").endMetadata().withNewSpec().withHost("other." + APPS).withNewTo()
        .withKind("Service").withName("image-registry").endTo().endSpec().build()).create();
    LabDriver.patchConfig(client, "{\"spec\":{\"defaultRoute\":true,\"routes\":[{\"name\":\"extra\"}]}}");
    operator.reconcile();
    assertThat(route("default-route")).isNotNull();
    assertThat(route("extra")).isNotNull();
    LabDriver.patchConfig(client, "{\"spec\":{\"managementState\":\"Removed\"}}");
    operator.reconcile();
    assertThat(route("default-route")).isNull();
    assertThat(route("extra")).isNull();
    assertThat(route("someone-elses")).isNotNull();
    assertThat(client.config().images().withName("cluster").get().getStatus().getExternalRegistryHostnames())
        .isNullOrEmpty();
  }

  @Test
  @DisplayName("a spec.routes entry named default-route is a VerificationFailed error naming the duplication")
  void defaultRouteNameIsRejected() {
    LabDriver.patchConfig(client, "{\"spec\":{\"routes\":[{\"name\":\"default-route\"}]}}");
    operator.reconcile();
    OperatorCondition degraded = condition("Degraded");
    assertThat(degraded.getReason()).isEqualTo("VerificationFailed");
    assertThat(degraded.getMessage()).isEqualTo("Error: unable to complete resource: "
        + "duplication of names has been detected in the additional routes");
  }

  @Test
  @DisplayName("the ingress operator publishes router-ca, router-certs-default (leaf + CA) and default-ingress-cert, and re-creates a deleted one")
  void ingressCertificates() {
    IngressOperator ingress = new IngressOperator(client, APPS);
    ingress.reconcile();
    String ca = text(client.secrets().inNamespace("openshift-ingress-operator").withName("router-ca").get()
        .getData().get("tls.crt"));
    var defaultCert = client.secrets().inNamespace("openshift-ingress").withName("router-certs-default").get();
    assertThat(defaultCert.getType()).isEqualTo("kubernetes.io/tls");
    String crt = text(defaultCert.getData().get("tls.crt"));
    assertThat(crt).endsWith(ca).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(client.configMaps().inNamespace("openshift-config-managed").withName("default-ingress-cert").get()
        .getData()).containsEntry("ca-bundle.crt", crt);
    assertThat(client.secrets().inNamespace("openshift-config-managed").withName("router-certs").get()
        .getData()).containsKey(APPS);
    client.secrets().inNamespace("openshift-ingress").withName("router-certs-default").delete();
    ingress.reconcile();
    assertThat(text(client.secrets().inNamespace("openshift-ingress").withName("router-certs-default").get()
        .getData().get("tls.crt"))).isEqualTo(crt);
  }

  private Route route(String name) {
    return client.routes().inNamespace(NS).withName(name).get();
  }

  private OperatorCondition condition(String type) {
    return client.imageRegistryOperatorConfigs().withName("cluster").get().getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }
}
