package dev.regcheck.assertions;

import io.fabric8.openshift.api.model.config.v1.ClusterVersion;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.openshift.api.model.Image;
import io.fabric8.openshift.api.model.Route;
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

  /** {@code clusterversions.config.openshift.io/version} (null when it cannot be read). */
  public static ClusterVersionAssert assertThat(ClusterVersion version) {
    return new ClusterVersionAssert(version);
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

  /** The registry's Service, with its Endpoints (null when there are none). */
  public static ServiceAssert assertThat(Service service, Endpoints endpoints) {
    return new ServiceAssert(service, endpoints);
  }

  /** {@code images.config.openshift.io/cluster}. */
  public static ImageConfigAssert assertThat(io.fabric8.openshift.api.model.config.v1.Image imageConfig) {
    return new ImageConfigAssert(imageConfig);
  }

  /** The Image of {@code digest} (null when it does not exist). */
  public static ImageAssert assertThat(Image image, String digest) {
    return new ImageAssert(image, digest);
  }

  /** What the NFS server {@code server} answers; {@code source} says where its address came from. */
  public static NfsExportAssert assertThatNfsServer(String server, String source) {
    return new NfsExportAssert(server, source);
  }

  public static RouteAssert assertThat(Route route) {
    return new RouteAssert(route);
  }

  /** The TLS secret {@code name} in {@code namespace} (null when it does not exist). */
  public static TlsSecretAssert assertThatTlsSecret(io.fabric8.kubernetes.api.model.Secret secret, String name,
      String namespace) {
    return new TlsSecretAssert(secret, name, namespace);
  }
}
