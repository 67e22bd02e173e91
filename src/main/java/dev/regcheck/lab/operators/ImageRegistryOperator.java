package dev.regcheck.lab.operators;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.config.v1.ClusterOperator;
import io.fabric8.openshift.api.model.config.v1.ClusterOperatorBuilder;
import io.fabric8.openshift.api.model.config.v1.ClusterOperatorStatus;
import io.fabric8.openshift.api.model.config.v1.ClusterOperatorStatusCondition;
import io.fabric8.openshift.api.model.config.v1.OperandVersionBuilder;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigRoute;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStorage;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistrySpec;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryStatus;
import io.fabric8.openshift.api.model.operator.v1.OperatorCondition;
import io.fabric8.openshift.client.OpenShiftClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.WellKnown;

/**
 * The cluster-image-registry-operator (pkg/operator/controller.go sync, status.go syncStatus,
 * clusteroperator.go, imageconfig.go, route.go) for Config {@code cluster}. Differences from the real one:
 * no pruner, node-ca, NetworkPolicy, PDB or RBAC objects; only emptyDir and PVC storage;
 * the ClusterOperator reports a fixed version once the registry is available. With
 * {@code hotLoop} (the OPERATOR_HOTLOOP fault) it has a bug the real one must not have: every sync
 * restamps the conditions' lastTransitionTime (see {@link DesiredConditions}), so it rewrites the
 * config's status once a second although nothing changed.
 *
 * <p>Routes (openshift-facts.md §2.7): {@code spec.defaultRoute} and {@code spec.routes} become
 * reencrypt Routes to Service {@code image-registry}, annotated {@value RegistryRoutes#ROUTE_ANNOTATION}; routes so
 * annotated that are no longer wanted are deleted. One difference: OpenShift's API server assigns
 * the host of a Route created with an empty {@code spec.host} (library-go hostassignment:
 * {@code <name>-<namespace>.<apps domain>}); the lab's mock API server has no admission, so this
 * operator writes the generated host itself when it creates the route.
 */
public final class ImageRegistryOperator implements Controller {
  static final String OPERATOR_NAME = "image-registry";
  static final String VERSION = "4.16.0";
  /** status.go unavailableDegradedInertia. */
  static final Duration DEGRADED_INERTIA = Duration.ofMinutes(5);
  /** storage.go ErrStorageNotConfigured's reason. */
  static final String STORAGE_NOT_CONFIGURED = "StorageNotConfigured";
  /** complete.go verifyResource's reason. */
  static final String VERIFICATION_FAILED = "VerificationFailed";

  private final OpenShiftClient client;
  private final String namespace;
  private final String appsDomain;
  private final RegistryStorage storage;
  private final RegistryManifests manifests;
  private final RegistryRoutes routes;
  private final ImageConfigController imageConfig;
  private final boolean hotLoop;

  public ImageRegistryOperator withoutHostnamePublishing() {
    imageConfig.stuck();
    return this;
  }

  /** Whether status.readyReplicas follows the deployment's (real 4.4 and 4.7 clusters leave it 0). */
  private volatile boolean reportsReadyReplicas = true;

  /** Leaves status.readyReplicas at 0 while the registry runs, as the 4.4.16 and 4.7.16 Insights samples show it. */
  public ImageRegistryOperator withoutReadyReplicas() {
    reportsReadyReplicas = false;
    return this;
  }

  public ImageRegistryOperator(OpenShiftClient client, String namespace, String appsDomain, boolean hotLoop) {
    this.client = client;
    this.namespace = namespace;
    this.appsDomain = appsDomain;
    this.hotLoop = hotLoop;
    this.storage = new RegistryStorage(client, namespace);
    this.manifests = new RegistryManifests(namespace);
    this.routes = new RegistryRoutes(client, namespace, appsDomain);
    this.imageConfig = new ImageConfigController(client, namespace, routes);
  }

  @Override
  public void reconcile() {
    Config stored = client.imageRegistryOperatorConfigs().withName(WellKnown.REGISTRY_CONFIG).get();
    if (stored == null) {
      client.imageRegistryOperatorConfigs().resource(RegistryManifests.bootstrapConfig()).create();
      return;
    }
    Config cr = Copies.copy(stored);
    if (cr.getStatus() == null) {
      cr.setStatus(new ImageRegistryStatus());
    }
    DesiredConditions conditions = new DesiredConditions(hotLoop);
    OperatorError applyError = null;
    String state = Optional.ofNullable(cr.getSpec().getManagementState()).orElse("");
    try {
      if (cr.getMetadata().getDeletionTimestamp() != null) {
        finalizeResources(cr);
        return;
      }
      switch (state) {
        case "Removed" -> removeResources(cr);
        case "Managed" -> createOrUpdateResources(cr, conditions);
        default -> { } // Unmanaged: hands off
      }
    } catch (OperatorError e) {
      applyError = e;
    } catch (KubernetesClientException e) {
      applyError = OperatorError.retriable(e.getMessage());
    }
    Deployment deploy = client.apps().deployments().inNamespace(namespace)
        .withName(WellKnown.REGISTRY).get();
    syncStatus(cr, stored, deploy, applyError, conditions);

    Config current = stored;
    boolean metadataChanged = !Objects.equals(stored.getMetadata().getFinalizers(),
        cr.getMetadata().getFinalizers());
    boolean specChanged = !Copies.json(stored.getSpec()).equals(Copies.json(cr.getSpec()));
    if (metadataChanged || specChanged) {
      Config update = Copies.copy(stored);
      update.getMetadata().setFinalizers(cr.getMetadata().getFinalizers());
      ImageRegistrySpec spec = Copies.copy(cr.getSpec(), ImageRegistrySpec.class);
      spec.setManagementState(stored.getSpec().getManagementState());
      update.setSpec(spec);
      current = client.resource(update).update();
    }
    cr.getStatus().setObservedGeneration(stored.getMetadata().getGeneration());
    if (!Copies.json(stored.getStatus()).equals(Copies.json(cr.getStatus()))) {
      Config statusUpdate = Copies.copy(current);
      statusUpdate.setStatus(cr.getStatus());
      client.resource(statusUpdate).updateStatus();
    }
    syncClusterOperator(cr.getStatus().getConditions(), deploy);
    imageConfig.sync(state);
  }

  private void createOrUpdateResources(Config cr, DesiredConditions conditions) throws OperatorError {
    List<String> finalizers = new ArrayList<>(Optional.ofNullable(cr.getMetadata().getFinalizers())
        .orElse(List.of()));
    if (!finalizers.contains(WellKnown.REGISTRY_FINALIZER)) {
      finalizers.add(WellKnown.REGISTRY_FINALIZER);
      cr.getMetadata().setFinalizers(finalizers);
    }
    verifyResource(cr);
    applyDefaults(cr);
    RegistryStorage.Choice choice = storage.sync(cr, conditions);
    ensure(manifests.serviceAccount());
    ensure(manifests.privateConfiguration(cr.getSpec().getHttpSecret()));
    ensure(manifests.serviceCaBundle());
    ensure(manifests.service());
    Deployment desired = manifests.deployment(cr, choice);
    Deployment existing = client.apps().deployments().inNamespace(namespace)
        .withName(WellKnown.REGISTRY).get();
    if (existing == null) {
      client.apps().deployments().inNamespace(namespace).resource(desired).create();
    } else if (!Copies.json(existing.getSpec()).equals(Copies.json(desired.getSpec()))) {
      existing.setSpec(desired.getSpec());
      client.apps().deployments().inNamespace(namespace).resource(existing).update();
    }
    routes.sync(cr);
  }

  /** complete.go verifyResource: permanent VerificationFailed errors. */
  private static void verifyResource(Config cr) throws OperatorError {
    Integer replicas = cr.getSpec().getReplicas();
    if (replicas != null && replicas < 0) {
      throw OperatorError.permanent(VERIFICATION_FAILED,
          "unable to complete resource: replicas must be greater than or equal to 0");
    }
    Set<String> names = new HashSet<>();
    names.add(WellKnown.DEFAULT_ROUTE);
    for (ImageRegistryConfigRoute route : Optional.ofNullable(cr.getSpec().getRoutes())
        .orElse(List.of())) {
      if (!names.add(route.getName())) {
        throw OperatorError.permanent(VERIFICATION_FAILED, "unable to complete resource: "
            + "duplication of names has been detected in the additional routes");
      }
    }
  }

  /** complete.go applyDefaults: a random 64-byte HTTP secret when none is set. */
  private static void applyDefaults(Config cr) {
    if (cr.getSpec().getHttpSecret() == null || cr.getSpec().getHttpSecret().isEmpty()) {
      byte[] secret = new byte[64];
      new SecureRandom().nextBytes(secret);
      cr.getSpec().setHttpSecret(HexFormat.of().formatHex(secret));
    }
  }

  private void ensure(HasMetadata object) {
    if (client.resource(object).inNamespace(namespace).get() == null) {
      client.resource(object).inNamespace(namespace).create();
    }
  }

  /** RemoveResources: the workload goes, a managed claim goes, the config keeps its spec. */
  private void removeResources(Config cr) {
    client.apps().deployments().inNamespace(namespace).withName(WellKnown.REGISTRY).delete();
    client.services().inNamespace(namespace).withName(WellKnown.REGISTRY).delete();
    routes.removeAll();
    storage.remove(cr);
    cr.getStatus().setStorage(new ImageRegistryConfigStorage());
    cr.getStatus().setStorageManaged(false);
  }

  private void finalizeResources(Config cr) {
    removeResources(cr);
    Config update = Copies.copy(cr);
    List<String> finalizers = new ArrayList<>(Optional.ofNullable(update.getMetadata()
        .getFinalizers()).orElse(List.of()));
    finalizers.remove(WellKnown.REGISTRY_FINALIZER);
    update.getMetadata().setFinalizers(finalizers);
    client.resource(update).update();
  }

  /** status.go syncStatus, per the condition tables of openshift-facts.md §2.5. */
  private void syncStatus(Config cr, Config stored, Deployment deploy, OperatorError applyError,
      DesiredConditions conditions) {
    String state = Optional.ofNullable(cr.getSpec().getManagementState()).orElse("");
    boolean permanent = applyError != null && applyError.permanent();
    boolean deleting = deploy != null && deploy.getMetadata().getDeletionTimestamp() != null;
    int available = deploy == null || deploy.getStatus() == null
        || deploy.getStatus().getAvailableReplicas() == null ? 0
        : deploy.getStatus().getAvailableReplicas();
    int replicas = deploy == null || deploy.getSpec().getReplicas() == null ? 1
        : deploy.getSpec().getReplicas();

    if (state.equals("Unmanaged")) {
      conditions.set("Available", "True", "Unmanaged", "The registry configuration is set to unmanaged mode");
    } else if (deploy == null) {
      if (permanent) {
        conditions.set("Available", "False", applyError.reason(), "Error: " + applyError.getMessage());
      } else if (state.equals("Removed")) {
        conditions.set("Available", "True", "Removed", "The registry is removed");
      } else {
        conditions.set("Available", "False", "DeploymentNotFound", "The deployment does not exist");
      }
    } else if (deleting) {
      conditions.set("Available", "False", "DeploymentDeleted", "The deployment is being deleted");
    } else if (available == 0) {
      conditions.set("Available", "False", "NoReplicasAvailable",
          "The deployment does not have available replicas");
    } else if (available != replicas) {
      conditions.set("Available", "True", "MinimumAvailability", "The registry has minimum availability");
    } else {
      conditions.set("Available", "True", "Ready", "The registry is ready");
    }

    if (state.equals("Unmanaged")) {
      conditions.set("Progressing", "False", "Unmanaged", "The registry configuration is set to unmanaged mode");
    } else if (state.equals("Removed")) {
      if (deploy != null) {
        conditions.set("Progressing", "True", "DeletingDeployment", "The deployment is being removed");
      } else {
        conditions.set("Progressing", "False", "Removed", "All registry resources are removed");
      }
    } else if (applyError != null) {
      conditions.set("Progressing", permanent ? "False" : "True", progressingReason(applyError),
          "Unable to apply resources: " + applyError.getMessage());
    } else if (deploy == null) {
      conditions.set("Progressing", "True", "WaitingForDeployment",
          "All resources are successfully applied, but the deployment does not exist");
    } else if (deleting) {
      conditions.set("Progressing", "True", "FinalizingDeployment", "The deployment is being deleted");
    } else if (!rolledOut(deploy)) {
      conditions.set("Progressing", "True", "DeploymentNotCompleted", "The deployment has not completed");
    } else {
      conditions.set("Progressing", "False", "Ready", "The registry is ready");
    }

    if (state.equals("Unmanaged")) {
      conditions.set("Degraded", "False", "Unmanaged", "The registry configuration is set to unmanaged mode");
    } else if (permanent) {
      conditions.set("Degraded", "True", applyError.reason(), "Error: " + applyError.getMessage());
    } else if (state.equals("Removed")) {
      conditions.set("Degraded", "False", "Removed", "");
    } else {
      degradedByInertiaOrRollout(stored, deploy, conditions);
    }

    if (state.equals("Removed")) {
      conditions.set("Removed", "True", "Removed", "The registry is removed");
    } else {
      conditions.set("Removed", "False", "", "");
    }
    cr.getStatus().setConditions(conditions.mergeInto(stored.getStatus() == null ? null
        : stored.getStatus().getConditions(), Times.now()));
    cr.getStatus().setReadyReplicas(!reportsReadyReplicas || deploy == null || deploy.getStatus() == null
        || deploy.getStatus().getReadyReplicas() == null ? 0 : deploy.getStatus().getReadyReplicas());
  }

  /**
   * Progressing's reason on an apply error, exactly as openshift-facts.md §2.5 states it. The
   * Progressing table gives reason {@code Error} for every apply error (status False when the error
   * is permanent); the expected-status list then states one exception: "Managed with no storage on
   * bare metal: Available=False, Progressing=False and Degraded=True, all with reason
   * StorageNotConfigured". So a StorageNotConfigured error is reported as
   * Progressing=False/StorageNotConfigured, while the other permanent error the lab raises,
   * VerificationFailed (complete.go verifyResource), keeps the table's Progressing=False/Error;
   * Available (when no deployment exists) and Degraded carry the permanent error's own reason for
   * both. Residual ambiguity: the facts do not say why StorageNotConfigured differs. If status.go
   * in fact copies every permanent error's reason onto Progressing, then VerificationFailed would
   * show Progressing=False/VerificationFailed too; the facts state that for StorageNotConfigured
   * only, so the lab does not assume it.
   */
  static String progressingReason(OperatorError applyError) {
    return applyError.permanent() && STORAGE_NOT_CONFIGURED.equals(applyError.reason())
        ? STORAGE_NOT_CONFIGURED : "Error";
  }

  /** Degraded after Available has not been True for five minutes, or when the rollout timed out. */
  private static void degradedByInertiaOrRollout(Config stored, Deployment deploy,
      DesiredConditions conditions) {
    DesiredConditions.Cond availableNow = conditions.get("Available").orElseThrow();
    if (!availableNow.status().equals("True")) {
      Instant since = Optional.ofNullable(stored.getStatus()).map(ImageRegistryStatus::getConditions)
          .orElse(List.of()).stream().filter(c -> "Available".equals(c.getType())
              && availableNow.status().equals(c.getStatus()))
          .map(c -> Times.parse(c.getLastTransitionTime())).findFirst().orElse(Instant.now());
      if (Duration.between(since, Instant.now()).compareTo(DEGRADED_INERTIA) > 0) {
        conditions.set("Degraded", "True", "Unavailable", availableNow.message());
        return;
      }
    }
    Optional<DeploymentCondition> progressing = deploymentCondition(deploy, "Progressing");
    if (progressing.isPresent() && "ProgressDeadlineExceeded".equals(progressing.get().getReason())) {
      conditions.set("Degraded", "True", "ProgressDeadlineExceeded",
          "Registry deployment has timed out progressing: " + progressing.get().getMessage());
      return;
    }
    conditions.set("Degraded", "False", "", "");
  }

  /** Rolled out = Progressing=True with reason NewReplicaSetAvailable, for the current generation. */
  private static boolean rolledOut(Deployment deploy) {
    Long observed = deploy.getStatus() == null ? null : deploy.getStatus().getObservedGeneration();
    return observed != null && observed >= Optional.ofNullable(deploy.getMetadata().getGeneration()).orElse(0L)
        && deploymentCondition(deploy, "Progressing")
            .filter(c -> "True".equals(c.getStatus()) && "NewReplicaSetAvailable".equals(c.getReason()))
            .isPresent();
  }

  private static Optional<DeploymentCondition> deploymentCondition(Deployment deploy, String type) {
    if (deploy == null || deploy.getStatus() == null || deploy.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return deploy.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private void syncClusterOperator(List<OperatorCondition> conditions, Deployment deploy) {
    ClusterOperator co = client.config().clusterOperators().withName(OPERATOR_NAME).get();
    if (co == null) {
      co = client.config().clusterOperators().resource(new ClusterOperatorBuilder().withNewMetadata()
          .withName(OPERATOR_NAME).addToAnnotations("include.release.openshift.io/self-managed-high-availability", "true")
          .endMetadata().withNewSpec().endSpec().build()).create();
    }
    ClusterOperatorStatus status = co.getStatus() == null ? new ClusterOperatorStatus()
        : Copies.copy(co.getStatus(), ClusterOperatorStatus.class);
    List<ClusterOperatorStatusCondition> derived =
        ClusterOperatorDerivation.derive(conditions, status.getConditions(), Times.now());
    status.setConditions(derived);
    status.setRelatedObjects(ClusterOperatorDerivation.relatedObjects(namespace));
    boolean available = derived.stream().anyMatch(c -> c.getType().equals("Available")
        && c.getStatus().equals("True")) && deploy != null && rolledOut(deploy);
    if (available || (status.getVersions() != null && !status.getVersions().isEmpty())) {
      status.setVersions(List.of(new OperandVersionBuilder().withName("operator").withVersion(VERSION)
          .build()));
    }
    if (!Copies.json(status).equals(Copies.json(co.getStatus()))) {
      ClusterOperator update = Copies.copy(co);
      update.setStatus(status);
      client.resource(update).updateStatus();
    }
  }
}
