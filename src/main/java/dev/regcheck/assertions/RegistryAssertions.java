package dev.regcheck.assertions;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.openshift.api.model.config.v1.ClusterOperator;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import java.util.List;
import java.security.cert.X509Certificate;

/** The one entry point of the domain assertions. */
public final class RegistryAssertions {
  private RegistryAssertions() {}

  public static PersistentVolumeAssert assertThat(PersistentVolume pv) {
    return new PersistentVolumeAssert(pv);
  }

  public static PersistentVolumeClaimAssert assertThat(PersistentVolumeClaim pvc) {
    return new PersistentVolumeClaimAssert(pvc);
  }

  public static RegistryConfigAssert assertThat(Config config) {
    return new RegistryConfigAssert(config);
  }

  public static ClusterOperatorAssert assertThat(ClusterOperator co) {
    return new ClusterOperatorAssert(co);
  }

  /** A served chain, leaf first; {@code servedBy} names the server (e.g. the service's name). */
  public static CertificateChainAssert assertThatChain(List<X509Certificate> chain,
      String servedBy) {
    return new CertificateChainAssert(chain, servedBy);
  }

  /** One certificate (e.g. {@code registry.crt}); {@code name} names it in messages. */
  public static CertificateChainAssert assertThat(X509Certificate certificate, String name) {
    return CertificateChainAssert.single(certificate, name);
  }

  public static PodsAssert assertThatPods(List<Pod> pods) {
    return new PodsAssert(pods);
  }
}
