package dev.regcheck.lab.seed;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.openshift.api.model.config.v1.ImageBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.openshift.api.model.config.v1.ClusterVersion;
import io.fabric8.openshift.api.model.config.v1.ClusterVersionBuilder;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.operators.RegistryManifests;

/**
 * A freshly installed bare-metal cluster as the harness first sees it: namespaces, Ready nodes,
 * the registry Config the operator bootstraps as Removed (pkg/operator/bootstrap.go), and an empty
 * {@code images.config.openshift.io/cluster}. The operator's first sync then fills in the status.
 */
public final class ClusterSeed {
  static final List<String> NAMESPACES = List.of("openshift-image-registry", "openshift-config",
      "openshift-config-managed", "openshift-ingress", "openshift-ingress-operator", "default", "openshift",
      "kube-system", "kube-public");
  /** The release the lab imitates (its nodes' kubelet is v1.29, RHCOS 416). */
  static final String VERSION = "4.16.20";
  /** The capabilities 4.16 knows (all enabled with the default baseline, vCurrent). */
  static final List<String> KNOWN_CAPABILITIES = List.of("Build", "CSISnapshot", "CloudControllerManager",
      "CloudCredential", "Console", "DeploymentConfig", "ImageRegistry", "Ingress", "Insights", "MachineAPI",
      "NodeTuning", "OperatorLifecycleManager", "Storage", "baremetal", "marketplace", "openshift-samples");
  static final String IMAGE_REGISTRY_CAPABILITY = "ImageRegistry";

  private ClusterSeed() {}

  /**
   * The namespaces that exist: the registry's only where the ImageRegistry capability is enabled
   * (its manifests carry {@code capability.openshift.io/name: ImageRegistry}).
   */
  static Set<String> namespaces(LabSettings settings, Set<Fault> faults) {
    Set<String> namespaces = new LinkedHashSet<>(NAMESPACES);
    namespaces.add(settings.namespace());
    if (faults.contains(Fault.REGISTRY_CAPABILITY_DISABLED)) {
      namespaces.remove(settings.namespace());
    }
    return namespaces;
  }

  public static void seed(OpenShiftClient client, LabSettings settings, Set<Fault> faults) {
    boolean registry = !faults.contains(Fault.REGISTRY_CAPABILITY_DISABLED);
    for (String name : namespaces(settings, faults)) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
          .addToLabels("kubernetes.io/metadata.name", name).endMetadata()
          .withNewSpec().withFinalizers("kubernetes").endSpec()
          .withNewStatus().withPhase("Active").endStatus().build()).create();
    }
    for (String node : settings.nodes()) {
      client.nodes().resource(node(node)).create();
    }
    ClusterVersion version = clusterVersion(registry);
    ClusterVersion created = client.config().clusterVersions().resource(version).create();
    created.setStatus(version.getStatus()); // status only through /status, as the cluster-version operator writes it
    client.config().clusterVersions().resource(created).updateStatus();
    if (registry) {
      client.imageRegistryOperatorConfigs().resource(RegistryManifests.bootstrapConfig()).create();
    }
    client.config().images().resource(new ImageBuilder().withNewMetadata().withName("cluster")
        .addToAnnotations("include.release.openshift.io/self-managed-high-availability", "true")
        .endMetadata().withNewSpec().endSpec().build()).create();
  }

  /**
   * ClusterVersion {@code version}: the default baseline (every known capability), or, without the
   * registry, an install with {@code baselineCapabilitySet: None} and the others added back.
   */
  private static ClusterVersion clusterVersion(boolean registry) {
    List<String> enabled = KNOWN_CAPABILITIES.stream().filter(c -> registry || !c.equals(IMAGE_REGISTRY_CAPABILITY))
        .toList();
    ClusterVersionBuilder cv = new ClusterVersionBuilder().withNewMetadata().withName("version").endMetadata()
        .withNewSpec().withClusterID("0b7a8e55-3c1e-4f5e-9f0e-6d1b2c3a4f56").withChannel("stable-4.16")
        .withNewCapabilities().withBaselineCapabilitySet(registry ? "vCurrent" : "None")
        .withAdditionalEnabledCapabilities(registry ? List.of() : enabled).endCapabilities().endSpec()
        .withNewStatus().withNewCapabilities().withEnabledCapabilities(enabled)
        .withKnownCapabilities(KNOWN_CAPABILITIES).endCapabilities()
        .withNewDesired().withVersion(VERSION).withImage("quay.io/openshift-release-dev/ocp-release@sha256:"
            + "9a4cd5f5e1a9fd6f7e3c7aaf1ed8c1e22ef1dbc7c6de2ba8a2f7c3cb1f6a0d11").endDesired()
        .withObservedGeneration(1L).withVersionHash("R8pE5k6rXuA=")
        .addNewCondition().withType("Available").withStatus("True").withLastTransitionTime(Times.now())
        .withMessage("Done applying " + VERSION).endCondition()
        .addNewCondition().withType("Progressing").withStatus("False").withLastTransitionTime(Times.now())
        .withMessage("Cluster version is " + VERSION).endCondition()
        .endStatus();
    return cv.build();
  }

  private static Node node(String name) {
    String now = Times.now();
    String hostname = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    return new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/arch", "amd64")
        .addToLabels("node-role.kubernetes.io/control-plane", "")
        .addToLabels("node-role.kubernetes.io/master", "")
        .addToLabels("node-role.kubernetes.io/worker", "")
        .addToLabels("node.openshift.io/os_id", "rhcos").endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
        .addNewAddress().withType("Hostname").withAddress(hostname).endAddress()
        .addToCapacity("cpu", new Quantity("8")).addToCapacity("memory", new Quantity("32827516Ki"))
        .addToCapacity("pods", new Quantity("250"))
        .addToAllocatable("cpu", new Quantity("7500m"))
        .addToAllocatable("memory", new Quantity("31676540Ki"))
        .addToAllocatable("pods", new Quantity("250"))
        .addNewCondition().withType("MemoryPressure").withStatus("False")
        .withReason("KubeletHasSufficientMemory").withMessage("kubelet has sufficient memory available")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
        .addNewCondition().withType("DiskPressure").withStatus("False")
        .withReason("KubeletHasNoDiskPressure").withMessage("kubelet has no disk pressure")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
        .addNewCondition().withType("PIDPressure").withStatus("False")
        .withReason("KubeletHasSufficientPID").withMessage("kubelet has sufficient PID available")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withMessage("kubelet is posting ready status").withLastHeartbeatTime(now)
        .withLastTransitionTime(now).endCondition()
        .withNewNodeInfo().withKubeletVersion("v1.29.10+67d3387").withKubeProxyVersion("v1.29.10+67d3387")
        .withContainerRuntimeVersion("cri-o://1.29.10-3.rhaos4.16.git1c0b5a1.el9")
        .withOperatingSystem("linux").withArchitecture("amd64")
        .withOsImage("Red Hat Enterprise Linux CoreOS 416.94.202410211619-0")
        .withKernelVersion("5.14.0-427.40.1.el9_4.x86_64").withMachineID("").withSystemUUID("")
        .withBootID("").endNodeInfo()
        .endStatus().build();
  }
}
