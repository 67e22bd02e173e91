package dev.regcheck.lab.operators;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import java.util.ArrayList;
import java.util.List;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import dev.regcheck.lab.core.WellKnown;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ConfigBuilder;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStorage;

/**
 * The objects CIRO generates for a Managed registry (pkg/resource: service.go, podtemplatespec.go,
 * deployment.go, serviceaccount.go, secret.go, serviceca.go), reduced to what the checks read.
 */
public final class RegistryManifests {
  static final String PRIVATE_CONFIGURATION = "image-registry-private-configuration";
  static final String IMAGE = WellKnown.REGISTRY_IMAGE;

  private final String namespace;

  public RegistryManifests(String namespace) {
    this.namespace = namespace;
  }

  public ServiceAccount serviceAccount() {
    return new ServiceAccountBuilder().withNewMetadata().withName("registry")
        .withNamespace(namespace).endMetadata().build();
  }

  public Secret privateConfiguration(String httpSecret) {
    return new SecretBuilder().withNewMetadata().withName(PRIVATE_CONFIGURATION)
        .withNamespace(namespace).endMetadata().withType("Opaque")
        .addToData("REGISTRY_HTTP_SECRET", Base64.getEncoder()
            .encodeToString(httpSecret.getBytes(StandardCharsets.UTF_8))).build();
  }

  public ConfigMap serviceCaBundle() {
    return new ConfigMapBuilder().withNewMetadata().withName("serviceca").withNamespace(namespace)
        .addToAnnotations(ServiceCaController.INJECT_CABUNDLE, "true").endMetadata().build();
  }

  public Service service() {
    return new ServiceBuilder().withNewMetadata().withName(WellKnown.REGISTRY).withNamespace(namespace)
        .addToLabels(WellKnown.REGISTRY_POD_LABELS)
        .addToAnnotations(ServiceCaController.SERVING_CERT_ALPHA, WellKnown.REGISTRY_TLS_SECRET).endMetadata()
        .withNewSpec().withType("ClusterIP").withSelector(WellKnown.REGISTRY_POD_LABELS).addNewPort().withName("5000-tcp")
        .withPort(5000).withProtocol("TCP").withTargetPort(new IntOrString(5000)).endPort()
        .withSessionAffinity("None").endSpec().build();
  }

  public Deployment deployment(Config cr, RegistryStorage.Choice storage) {
    int replicas = cr.getSpec().getReplicas() == null ? 1 : cr.getSpec().getReplicas();
    String strategyType = "Recreate".equals(cr.getSpec().getRolloutStrategy()) ? "Recreate"
        : "RollingUpdate";
    DeploymentStrategy strategy = strategyType.equals("Recreate")
        ? new DeploymentStrategyBuilder().withType("Recreate").build()
        : new DeploymentStrategyBuilder().withType("RollingUpdate").withNewRollingUpdate()
            .withMaxSurge(new IntOrString("25%")).withMaxUnavailable(new IntOrString(1))
            .endRollingUpdate().build();
    return new DeploymentBuilder().withNewMetadata().withName(WellKnown.REGISTRY).withNamespace(namespace)
        .addToLabels(WellKnown.REGISTRY_POD_LABELS).endMetadata()
        .withNewSpec().withReplicas(replicas).withProgressDeadlineSeconds(600)
        .withRevisionHistoryLimit(10).withNewSelector().withMatchLabels(WellKnown.REGISTRY_POD_LABELS).endSelector()
        .withStrategy(strategy)
        .withNewTemplate().withNewMetadata().addToLabels(WellKnown.REGISTRY_POD_LABELS).endMetadata()
        .withNewSpec().withServiceAccountName("registry")
        .withPriorityClassName("system-cluster-critical")
        .addToNodeSelector("kubernetes.io/os", "linux")
        .addNewContainer().withName("registry").withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent").withCommand("/bin/sh", "-c",
            "mkdir -p /etc/pki/ca-trust/extracted/edk2 && exec /usr/bin/dockerregistry")
        .addNewPort().withContainerPort(5000).withProtocol("TCP").endPort()
        .withEnv(env(cr, storage))
        .addNewVolumeMount().withName("registry-storage").withMountPath("/registry").endVolumeMount()
        .addNewVolumeMount().withName("registry-tls").withMountPath("/etc/secrets").endVolumeMount()
        .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withPort(new IntOrString(5000))
        .withScheme("HTTPS").endHttpGet().withTimeoutSeconds(5).endReadinessProbe()
        .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withPort(new IntOrString(5000))
        .withScheme("HTTPS").endHttpGet().withInitialDelaySeconds(5).withTimeoutSeconds(5)
        .endLivenessProbe()
        .withNewResources().addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("256Mi"))
        .endResources().withTerminationMessagePolicy("FallbackToLogsOnError").endContainer()
        .withVolumes(volumes(storage)).withRestartPolicy("Always")
        .withTerminationGracePeriodSeconds(30L).endSpec().endTemplate().endSpec().build();
  }

  private static List<EnvVar> env(Config cr, RegistryStorage.Choice storage) {
    List<EnvVar> env = new ArrayList<>();
    env.add(var("REGISTRY_STORAGE", "filesystem"));
    env.add(var("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/registry"));
    env.add(var("REGISTRY_HTTP_ADDR", ":5000"));
    env.add(var("REGISTRY_HTTP_NET", "tcp"));
    env.add(new EnvVarBuilder().withName("REGISTRY_HTTP_SECRET").withNewValueFrom()
        .withNewSecretKeyRef().withName(PRIVATE_CONFIGURATION).withKey("REGISTRY_HTTP_SECRET")
        .endSecretKeyRef().endValueFrom().build());
    env.add(var("REGISTRY_LOG_LEVEL", "info"));
    env.add(var("REGISTRY_OPENSHIFT_QUOTA_ENABLED", "true"));
    env.add(var("REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR", "inmemory"));
    env.add(var("REGISTRY_STORAGE_DELETE_ENABLED", "true"));
    env.add(var("REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "true"));
    env.add(var("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "10s"));
    env.add(var("REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "1"));
    env.add(var("REGISTRY_OPENSHIFT_METRICS_ENABLED", "true"));
    env.add(var("REGISTRY_OPENSHIFT_SERVER_ADDR", WellKnown.REGISTRY_SERVER_ADDR));
    env.add(var("REGISTRY_HTTP_TLS_CERTIFICATE", "/etc/secrets/tls.crt"));
    env.add(var("REGISTRY_HTTP_TLS_KEY", "/etc/secrets/tls.key"));
    if (Boolean.TRUE.equals(cr.getSpec().getReadOnly())) {
      env.add(var("REGISTRY_STORAGE_MAINTENANCE_READONLY", "{enabled: true}"));
    }
    if (Boolean.TRUE.equals(cr.getSpec().getDisableRedirect())) {
      env.add(var("REGISTRY_STORAGE_REDIRECT_DISABLE", "true"));
    }
    return env;
  }

  private static EnvVar var(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static List<Volume> volumes(RegistryStorage.Choice storage) {
    Volume data = storage.emptyDir()
        ? new VolumeBuilder().withName("registry-storage").withNewEmptyDir().endEmptyDir().build()
        : new VolumeBuilder().withName("registry-storage").withNewPersistentVolumeClaim()
            .withClaimName(storage.claim()).endPersistentVolumeClaim().build();
    Volume tls = new VolumeBuilder().withName("registry-tls").withNewProjected()
        .addNewSource().withNewSecret().withName(WellKnown.REGISTRY_TLS_SECRET).endSecret().endSource()
        .withDefaultMode(420).endProjected().build();
    return List.of(data, tls);
  }

  /** bootstrap.go on BareMetal: no platform storage, so Removed, one replica, RollingUpdate. */
  public static Config bootstrapConfig() {
    return new ConfigBuilder().withNewMetadata().withName(WellKnown.REGISTRY_CONFIG)
        .endMetadata().withNewSpec().withManagementState("Removed").withLogLevel("Normal")
        .withOperatorLogLevel("Normal").withReplicas(1).withRolloutStrategy("RollingUpdate")
        .withStorage(new ImageRegistryConfigStorage()).endSpec().build();
  }
}
