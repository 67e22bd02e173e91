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
      "openshift-config-managed", "openshift-ingress", "openshift-ingress-operator", "default", "openshift");

  private ClusterSeed() {}

  public static void seed(OpenShiftClient client, LabSettings settings) {
    Set<String> namespaces = new LinkedHashSet<>(NAMESPACES);
    namespaces.add(settings.namespace());
    for (String name : namespaces) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
          .addToLabels("kubernetes.io/metadata.name", name).endMetadata()
          .withNewSpec().withFinalizers("kubernetes").endSpec()
          .withNewStatus().withPhase("Active").endStatus().build()).create();
    }
    for (String node : settings.nodes()) {
      client.nodes().resource(node(node)).create();
    }
    client.imageRegistryOperatorConfigs().resource(RegistryManifests.bootstrapConfig()).create();
    client.config().images().resource(new ImageBuilder().withNewMetadata().withName("cluster")
        .addToAnnotations("include.release.openshift.io/self-managed-high-availability", "true")
        .endMetadata().withNewSpec().endSpec().build()).create();
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
