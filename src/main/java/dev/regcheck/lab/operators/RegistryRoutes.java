package dev.regcheck.lab.operators;

import dev.regcheck.lab.core.WellKnown;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.RouteBuilder;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigRoute;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's routes (facts §2.7): {@code default-route} and one per {@code spec.routes} entry,
 * re-encrypt to Service {@code image-registry}, annotated as the operator's; routes it no longer
 * wants are deleted; the hosts routers took become the image config's external hostnames.
 */
final class RegistryRoutes {
  /** pkg/resource/route.go: marks the routes the operator owns. */
  static final String ROUTE_ANNOTATION = "imageregistry.openshift.io";

  private final OpenShiftClient client;
  private final String namespace;
  private final String appsDomain;

  RegistryRoutes(OpenShiftClient client, String namespace, String appsDomain) {
    this.client = client;
    this.namespace = namespace;
    this.appsDomain = appsDomain;
  }

  /** route.go and generator.go listRoutes: the wanted routes created or updated, the others deleted. */
  void sync(Config cr) throws OperatorError {
    List<Route> wanted = new ArrayList<>();
    if (Boolean.TRUE.equals(cr.getSpec().getDefaultRoute())) {
      wanted.add(route(WellKnown.DEFAULT_ROUTE, null, null));
    }
    for (ImageRegistryConfigRoute r : Optional.ofNullable(cr.getSpec().getRoutes()).orElse(List.of())) {
      Secret secret = null;
      if (r.getSecretName() != null && !r.getSecretName().isEmpty()) {
        secret = client.secrets().inNamespace(namespace).withName(r.getSecretName()).get();
        if (secret == null) {
          throw OperatorError.retriable("secret \"" + r.getSecretName() + "\" not found");
        }
      }
      wanted.add(route(r.getName(), r.getHostname(), secret));
    }
    Set<String> names = new HashSet<>();
    for (Route desired : wanted) {
      names.add(desired.getMetadata().getName());
      Route existing = client.routes().inNamespace(namespace).withName(desired.getMetadata().getName()).get();
      if (existing == null) {
        client.routes().inNamespace(namespace).resource(desired).create();
      } else if (!Copies.json(existing.getSpec()).equals(Copies.json(desired.getSpec()))
          || !"true".equals(Optional.ofNullable(existing.getMetadata().getAnnotations())
              .map(a -> a.get(ROUTE_ANNOTATION)).orElse(null))) {
        Route update = Copies.copy(existing);
        update.getMetadata().setAnnotations(new HashMap<>(Optional.ofNullable(
            existing.getMetadata().getAnnotations()).orElse(Map.of())));
        update.getMetadata().getAnnotations().put(ROUTE_ANNOTATION, "true");
        update.setSpec(desired.getSpec());
        client.routes().inNamespace(namespace).resource(update).update();
      }
    }
    for (Route owned : ownedRoutes()) {
      if (!names.contains(owned.getMetadata().getName())) {
        client.routes().inNamespace(namespace).withName(owned.getMetadata().getName()).delete();
      }
    }
  }

  /** route.go: reencrypt to the registry Service, TLS material from the secret (tls.crt, tls.key, tls.cacrt). */
  private Route route(String name, String hostname, Secret secret) {
    String host = hostname == null || hostname.isEmpty()
        ? name.replace('.', '-') + "-" + namespace + "." + appsDomain : hostname;
    Map<String, String> data = secret == null || secret.getData() == null ? Map.of() : secret.getData();
    return new RouteBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToAnnotations(ROUTE_ANNOTATION, "true").endMetadata()
        .withNewSpec().withHost(host).withNewTo().withKind("Service").withName(WellKnown.REGISTRY).endTo()
        .withNewTls().withTermination("reencrypt").withCertificate(decoded(data.get("tls.crt")))
        .withKey(decoded(data.get("tls.key"))).withCaCertificate(decoded(data.get("tls.cacrt"))).endTls()
        .endSpec().build();
  }

  private static String decoded(String base64) {
    return base64 == null ? null
        : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  List<Route> ownedRoutes() {
    return client.routes().inNamespace(namespace).list().getItems().stream()
        .filter(r -> r.getMetadata().getAnnotations() != null
            && "true".equals(r.getMetadata().getAnnotations().get(ROUTE_ANNOTATION)))
        .toList();
  }

  /**
   * CIRO's getRouteHostnames: the hosts routers report in the owned routes' {@code status.ingress},
   * default-route's first, the others sorted; null when none (so nothing is listed until a router
   * has taken the route).
   */
  List<String> externalHostnames() {
    List<String> first = new ArrayList<>();
    TreeSet<String> rest = new TreeSet<>();
    for (Route r : ownedRoutes()) {
      if (r.getStatus() == null || r.getStatus().getIngress() == null) {
        continue;
      }
      for (var ingress : r.getStatus().getIngress()) {
        if (ingress.getHost() == null || ingress.getHost().isEmpty()) {
          continue;
        }
        if (WellKnown.DEFAULT_ROUTE.equals(r.getMetadata().getName())) {
          first.add(ingress.getHost());
        } else {
          rest.add(ingress.getHost());
        }
      }
    }
    List<String> hosts = new ArrayList<>(first.stream().distinct().toList());
    rest.stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
    return hosts.isEmpty() ? null : List.copyOf(hosts);
  }

  /** Removed: every route the operator owns goes. */
  void removeAll() {
    for (Route owned : ownedRoutes()) {
      client.routes().inNamespace(namespace).withName(owned.getMetadata().getName()).delete();
    }
  }
}
