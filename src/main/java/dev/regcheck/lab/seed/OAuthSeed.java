package dev.regcheck.lab.seed;

import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.openshift.api.model.RouteBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import dev.regcheck.lab.apiserver.OAuthServer;
import dev.regcheck.lab.core.WellKnown;

/**
 * What the authentication operator leaves in {@code openshift-authentication}: Service
 * {@code oauth-openshift} (443 → 6443, with the service-CA serving certificate), its endpoint (the
 * lab's {@link OAuthServer} on 127.0.0.1) and Route {@code oauth-openshift} on
 * {@code oauth-openshift.<apps domain>}. The real route is passthrough (the pods serve the ingress
 * certificate themselves); the lab's is reencrypt, so clients meet the same ingress certificate.
 */
public final class OAuthSeed {
  private OAuthSeed() {}

  public static void seed(OpenShiftClient client, String appsDomain, int port) {
    String ns = WellKnown.OAUTH_NAMESPACE;
    String name = WellKnown.OAUTH_ROUTE;
    if (client.namespaces().withName(ns).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .addToLabels("app", name)
        .addToAnnotations("service.alpha.openshift.io/serving-cert-secret-name", "v4-0-config-system-serving-cert")
        .endMetadata().withNewSpec().addNewPort().withName("https").withPort(443)
        .withTargetPort(new IntOrString(6443)).withProtocol("TCP").endPort().endSpec().build()).create();
    client.endpoints().inNamespace(ns).resource(new EndpointsBuilder().withNewMetadata().withName(name)
        .withNamespace(ns).endMetadata().addNewSubset().addNewAddress().withIp("127.0.0.1").endAddress()
        .addNewPort().withName("https").withPort(port).withProtocol("TCP").endPort().endSubset().build()).create();
    client.routes().inNamespace(ns).resource(new RouteBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .addToLabels("app", name).endMetadata().withNewSpec().withHost(name + "." + appsDomain)
        .withNewTo().withKind("Service").withName(name).withWeight(100).endTo()
        .withNewPort().withTargetPort(new IntOrString(6443)).endPort()
        .withNewTls().withTermination("reencrypt").withInsecureEdgeTerminationPolicy("Redirect").endTls()
        .endSpec().build()).create();
  }
}
