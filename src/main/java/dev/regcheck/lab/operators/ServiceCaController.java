package dev.regcheck.lab.operators;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.core.WellKnown;

/**
 * The service-ca operator's controllers (serving-cert signer and CA-bundle injector) plus
 * kube-controller-manager's service-CA publisher: annotated Services get a {@code kubernetes.io/tls}
 * secret, annotated ConfigMaps get {@code service-ca.crt}, and every namespace gets ConfigMap
 * {@code openshift-service-ca.crt}. Unlike the real one, a damaged secret is never regenerated.
 */
public final class ServiceCaController implements Controller {
  static final String SERVING_CERT_ALPHA = "service.alpha.openshift.io/serving-cert-secret-name";
  static final String SERVING_CERT_BETA = "service.beta.openshift.io/serving-cert-secret-name";
  static final String INJECT_CABUNDLE = "service.beta.openshift.io/inject-cabundle";
  static final String PUBLISHED_BUNDLE = "openshift-service-ca.crt";
  static final String BUNDLE_KEY = "service-ca.crt";

  private final KubernetesClient client;
  private final ServiceCa ca;
  /** SERVICE_CERT_WRONG_SAN: the registry's certificate names OpenShift 3's registry service. */
  private final boolean wrongRegistryNames;

  public ServiceCaController(KubernetesClient client, ServiceCa ca, boolean wrongRegistryNames) {
    this.client = client;
    this.ca = ca;
    this.wrongRegistryNames = wrongRegistryNames;
  }

  @Override
  public void reconcile() {
    for (Namespace ns : client.namespaces().list().getItems()) {
      String name = ns.getMetadata().getName();
      if (client.configMaps().inNamespace(name).withName(PUBLISHED_BUNDLE).get() == null) {
        client.configMaps().inNamespace(name).resource(new ConfigMapBuilder().withNewMetadata()
            .withName(PUBLISHED_BUNDLE).withNamespace(name).addToAnnotations(INJECT_CABUNDLE, "true")
            .endMetadata().build()).create();
      }
    }
    for (ConfigMap cm : client.configMaps().inAnyNamespace().list().getItems()) {
      Map<String, String> annotations = cm.getMetadata().getAnnotations();
      if (annotations != null && "true".equals(annotations.get(INJECT_CABUNDLE))
          && !Objects.equals(ca.caPem(), cm.getData() == null ? null : cm.getData().get(BUNDLE_KEY))) {
        Map<String, String> data = cm.getData() == null ? new HashMap<>() : new HashMap<>(cm.getData());
        data.put(BUNDLE_KEY, ca.caPem());
        cm.setData(data);
        client.configMaps().inNamespace(cm.getMetadata().getNamespace()).resource(cm).update();
      }
    }
    for (Service service : client.services().inAnyNamespace().list().getItems()) {
      Map<String, String> annotations = service.getMetadata().getAnnotations();
      if (annotations == null) {
        continue;
      }
      String secretName = annotations.getOrDefault(SERVING_CERT_BETA, annotations.get(SERVING_CERT_ALPHA));
      String namespace = service.getMetadata().getNamespace();
      if (secretName != null && client.secrets().inNamespace(namespace).withName(secretName).get() == null) {
        client.secrets().inNamespace(namespace).resource(servingSecret(service, secretName)).create();
      }
    }
  }

  private Secret servingSecret(Service service, String secretName) {
    ServiceCa.Serving serving = wrongRegistryNames
        && WellKnown.REGISTRY.equals(service.getMetadata().getName())
        ? ca.serving("docker-registry.default.svc", "docker-registry.default.svc.cluster.local")
        : ca.servingFor(service.getMetadata().getName(), service.getMetadata().getNamespace());
    return new SecretBuilder().withNewMetadata().withName(secretName)
        .withNamespace(service.getMetadata().getNamespace())
        .addToAnnotations("service.alpha.openshift.io/originating-service-name",
            service.getMetadata().getName())
        .addToAnnotations("service.alpha.openshift.io/originating-service-uid",
            service.getMetadata().getUid())
        .addToAnnotations("service.beta.openshift.io/expiry", Times.format(serving.notAfter()))
        .addNewOwnerReference().withApiVersion("v1").withKind("Service")
        .withName(service.getMetadata().getName()).withUid(service.getMetadata().getUid())
        .endOwnerReference().endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", b64(serving.certificateChainPem()))
        .addToData("tls.key", b64(serving.privateKeyPem())).build();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }
}
