package dev.regcheck.lab.kube;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import dev.regcheck.lab.core.Controller;

/**
 * kube-controller-manager's endpoints controller for the registry namespace. Every pod IP is
 * 127.0.0.1, so each registry pod gets its own subset carrying the real port its process listens
 * on (named like the Service port); ready pods are {@code addresses}, others {@code notReadyAddresses}.
 */
public final class EndpointsController implements Controller {
  private final KubernetesClient client;
  private final Kubelet kubelet;
  private final String namespace;

  public EndpointsController(KubernetesClient client, Kubelet kubelet, String namespace) {
    this.client = client;
    this.kubelet = kubelet;
    this.namespace = namespace;
  }

  @Override
  public void reconcile() {
    List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
    for (Service service : client.services().inNamespace(namespace).list().getItems()) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector == null || selector.isEmpty() || service.getSpec().getPorts() == null
          || service.getSpec().getPorts().isEmpty()) {
        continue;
      }
      List<EndpointSubset> subsets = new ArrayList<>();
      for (Pod pod : pods) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null || !labels.entrySet().containsAll(selector.entrySet())
            || pod.getStatus() == null || pod.getStatus().getPodIP() == null || !DeploymentController.active(pod)) {
          continue;
        }
        OptionalInt port = kubelet.registryPort(pod.getMetadata().getUid());
        if (port.isEmpty()) {
          continue;
        }
        EndpointAddress address = new EndpointAddressBuilder().withIp(pod.getStatus().getPodIP())
            .withNodeName(pod.getSpec().getNodeName()).withNewTargetRef().withKind("Pod")
            .withNamespace(namespace).withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid()).endTargetRef().build();
        EndpointSubsetBuilder subset = new EndpointSubsetBuilder().addNewPort()
            .withName(service.getSpec().getPorts().get(0).getName()).withPort(port.getAsInt())
            .withProtocol("TCP").endPort();
        if (DeploymentController.ready(pod)) {
          subset.withAddresses(address);
        } else {
          subset.withNotReadyAddresses(address);
        }
        subsets.add(subset.build());
      }
      Endpoints wanted = new EndpointsBuilder().withNewMetadata().withName(service.getMetadata().getName())
          .withNamespace(namespace).withLabels(service.getMetadata().getLabels()).endMetadata()
          .withSubsets(subsets).build();
      Endpoints existing = client.endpoints().inNamespace(namespace)
          .withName(service.getMetadata().getName()).get();
      if (existing == null) {
        client.endpoints().inNamespace(namespace).resource(wanted).create();
      } else if (!Serialization.asJson(existing.getSubsets()).equals(Serialization.asJson(subsets))) {
        existing.setSubsets(subsets);
        client.endpoints().inNamespace(namespace).resource(existing).update();
      }
    }
  }
}
