package dev.regcheck.assertions;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Assertions on the registry's Service and its Endpoints (S08.1). */
public final class ServiceAssert extends DomainAssert<ServiceAssert, Service> {
  private final Endpoints endpoints;

  ServiceAssert(Service service, Endpoints endpoints) {
    super(service, ServiceAssert.class);
    this.endpoints = endpoints;
  }

  public ServiceAssert exists(String name, String namespace) {
    if (actual == null) {
      throw new CheckFailure("service " + name + " does not exist in " + namespace);
    }
    return this;
  }

  /**
   * Port 5000, a selector that selects the registry pods ({@code key=value}), and a ready
   * endpoint; with none, whether Ready pods exist tells a stuck endpoints controller from pods
   * that are not ready. Every deviation is named at once.
   */
  public ServiceAssert servesTheRegistryPods(String podSelector, boolean hasReadyEndpoint, long readyPods) {
    List<String> problems = new ArrayList<>();
    List<ServicePort> ports = Optional.ofNullable(actual.getSpec().getPorts()).orElse(List.of());
    if (ports.stream().noneMatch(p -> Objects.equals(p.getPort(), 5000))) {
      problems.add("it exposes no port 5000 (ports: " + ports.stream().map(ServicePort::getPort).toList() + ")");
    }
    String[] kv = podSelector.split("=", 2);
    Map<String, String> selector = Optional.ofNullable(actual.getSpec().getSelector()).orElse(Map.of());
    if (!Objects.equals(selector.get(kv[0]), kv.length > 1 ? kv[1] : "")) {
      problems.add("its selector " + selector + " does not select " + podSelector);
    }
    if (!hasReadyEndpoint) {
      problems.add(readyPods > 0
          ? "it has no ready endpoint although " + readyPods + " registry pod(s) are Ready: the endpoints controller "
              + "(kube-controller-manager) is not updating endpoints; see oc get co kube-controller-manager"
          : "it has no ready endpoint (no Ready registry pod behind it)");
    }
    if (!problems.isEmpty()) {
      throw new CheckFailure("service " + actual.getMetadata().getName() + ": " + String.join("; ", problems), List.of(
          new CheckFailure.Evidence("service.yaml", Yaml.of(actual)),
          new CheckFailure.Evidence("endpoints.yaml", endpoints == null ? "(none)" : Yaml.of(endpoints))));
    }
    return this;
  }
}
