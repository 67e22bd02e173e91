package dev.regcheck.lab.ingress;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.io.IOException;
import java.io.StringWriter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.core.WellKnown;

/**
 * The cluster-ingress-operator's certificate controllers (openshift-facts.md §9) for the default
 * IngressController: the self-signed CA {@code router-ca} (openshift-ingress-operator), the
 * operator-generated default certificate {@code router-certs-default} (openshift-ingress; SAN
 * {@code *.<apps domain>}, {@code tls.crt} = leaf + router-ca), its publication as ConfigMap
 * {@code default-ingress-cert} ({@code ca-bundle.crt}) and secret {@code router-certs} (key
 * {@code <apps domain>}) in openshift-config-managed. Each object is re-created when deleted.
 *
 * <p>Differences from the real one: no IngressController object, no custom default certificate
 * ({@code spec.defaultCertificate}), no rotation; the CA and the default certificate are minted once
 * and kept in memory, so a deleted secret comes back with the same content.
 */
public final class IngressOperator implements Controller {
  static final String OPERATOR_NAMESPACE = "openshift-ingress-operator";
  static final String CONFIG_MANAGED = "openshift-config-managed";
  static final String ROUTER_CA = "router-ca";
  static final String PUBLISHED_CERT_CONFIGMAP = "default-ingress-cert";
  static final String PUBLISHED_CERT_KEY = "ca-bundle.crt";
  static final String PUBLISHED_CERTS_SECRET = "router-certs";
  static final Duration CA_VALIDITY = Duration.ofDays(730);

  private final KubernetesClient client;
  private final String appsDomain;
  private ServiceCa ca;
  private ServiceCa.Serving defaultCert;

  public IngressOperator(KubernetesClient client, String appsDomain) {
    this.client = client;
    this.appsDomain = appsDomain;
  }

  @Override
  public void reconcile() {
    if (ca == null) {
      try {
        ca = ServiceCa.create("ingress-operator@" + Instant.now().getEpochSecond(), CA_VALIDITY);
      } catch (LabException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      defaultCert = ca.serving("*." + appsDomain);
    }
    ensureSecret(OPERATOR_NAMESPACE, ROUTER_CA, Map.of("tls.crt", ca.caPem(),
        "tls.key", pem(ca.privateKey())));
    ensureSecret(WellKnown.INGRESS_NAMESPACE, WellKnown.ROUTER_CERTS_DEFAULT, Map.of("tls.crt", defaultCert.certificateChainPem(),
        "tls.key", defaultCert.privateKeyPem()));
    publish();
  }

  /** certificate-publisher: what the effective default certificate secret holds, now. */
  private void publish() {
    Secret effective = client.secrets().inNamespace(WellKnown.INGRESS_NAMESPACE).withName(WellKnown.ROUTER_CERTS_DEFAULT).get();
    if (effective == null || effective.getData() == null) {
      return;
    }
    String crt = decode(effective.getData().get("tls.crt"));
    String key = decode(effective.getData().get("tls.key"));
    ConfigMap have = client.configMaps().inNamespace(CONFIG_MANAGED).withName(PUBLISHED_CERT_CONFIGMAP).get();
    if (have == null) {
      client.configMaps().inNamespace(CONFIG_MANAGED).resource(new ConfigMapBuilder().withNewMetadata()
          .withName(PUBLISHED_CERT_CONFIGMAP).withNamespace(CONFIG_MANAGED).endMetadata()
          .addToData(PUBLISHED_CERT_KEY, crt).build()).create();
    } else if (!Objects.equals(crt, have.getData() == null ? null : have.getData().get(PUBLISHED_CERT_KEY))) {
      have.setData(Map.of(PUBLISHED_CERT_KEY, crt));
      client.configMaps().inNamespace(CONFIG_MANAGED).resource(have).update();
    }
    Secret certs = client.secrets().inNamespace(CONFIG_MANAGED).withName(PUBLISHED_CERTS_SECRET).get();
    String bundle = crt + key;
    if (certs == null) {
      client.secrets().inNamespace(CONFIG_MANAGED).resource(new SecretBuilder().withNewMetadata()
          .withName(PUBLISHED_CERTS_SECRET).withNamespace(CONFIG_MANAGED).endMetadata().withType("Opaque")
          .addToData(appsDomain, encode(bundle)).build()).create();
    } else if (!Objects.equals(encode(bundle), certs.getData() == null ? null : certs.getData().get(appsDomain))) {
      certs.setData(Map.of(appsDomain, encode(bundle)));
      client.secrets().inNamespace(CONFIG_MANAGED).resource(certs).update();
    }
  }

  private void ensureSecret(String namespace, String name, Map<String, String> data) {
    if (client.secrets().inNamespace(namespace).withName(name).get() != null) {
      return;
    }
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .endMetadata().withType("kubernetes.io/tls");
    data.forEach((key, value) -> secret.addToData(key, encode(value)));
    client.secrets().inNamespace(namespace).resource(secret.build()).create();
  }

  static String decode(String base64) {
    return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
