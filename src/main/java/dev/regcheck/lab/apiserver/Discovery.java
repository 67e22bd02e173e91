package dev.regcheck.lab.apiserver;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/**
 * The kube-apiserver's legacy discovery documents for every kind the lab serves, so kubectl and oc
 * can map {@code co}, {@code pv}, {@code configs.imageregistry.operator.openshift.io} to paths.
 * Aggregated discovery (apidiscovery.k8s.io) is not offered; clients fall back to these documents.
 */
final class Discovery {
  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  record Kind(String plural, String singular, String kind, boolean namespaced,
      List<String> shortNames, List<String> subresources) {}

  /**
   * Kinds served by CustomResourceDefinitions on a real cluster (the others are built in or
   * aggregated from openshift-apiserver): a strategic merge patch is refused for them.
   */
  static final Set<String> CUSTOM_RESOURCES = Set.of("configs.imageregistry.operator.openshift.io",
      "clusteroperators.config.openshift.io", "images.config.openshift.io", "clusterversions.config.openshift.io");

  /** groupVersion ("v1" for core) → kinds. */
  private final Map<String, List<Kind>> kinds = new LinkedHashMap<>();
  private final String serverAddress;

  Discovery(String serverAddress) {
    this.serverAddress = serverAddress;
    core("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of("status"));
    core("nodes", "node", "Node", false, List.of("no"), List.of("status"));
    core("pods", "pod", "Pod", true, List.of("po"), List.of("status", "log"));
    core("services", "service", "Service", true, List.of("svc"), List.of("status"));
    core("endpoints", "endpoints", "Endpoints", true, List.of("ep"), List.of());
    core("persistentvolumes", "persistentvolume", "PersistentVolume", false, List.of("pv"),
        List.of("status"));
    core("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true,
        List.of("pvc"), List.of("status"));
    core("events", "event", "Event", true, List.of("ev"), List.of());
    core("secrets", "secret", "Secret", true, List.of(), List.of());
    core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), List.of());
    core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), List.of());
    add("apps/v1", "deployments", "deployment", "Deployment", true, List.of("deploy"),
        List.of("status", "scale"));
    add("apps/v1", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs"),
        List.of("status", "scale"));
    add("storage.k8s.io/v1", "storageclasses", "storageclass", "StorageClass", false,
        List.of("sc"), List.of());
    add("config.openshift.io/v1", "clusteroperators", "clusteroperator", "ClusterOperator", false,
        List.of("co"), List.of("status"));
    add("config.openshift.io/v1", "images", "image", "Image", false, List.of(), List.of("status"));
    add("config.openshift.io/v1", "clusterversions", "clusterversion", "ClusterVersion", false, List.of(),
        List.of("status"));
    add("imageregistry.operator.openshift.io/v1", "configs", "config", "Config", false, List.of(),
        List.of("status"));
    add("route.openshift.io/v1", "routes", "route", "Route", true, List.of(), List.of("status"));
    add("image.openshift.io/v1", "images", "image", "Image", false, List.of(), List.of());
    add("image.openshift.io/v1", "imagestreams", "imagestream", "ImageStream", true,
        List.of("is"), List.of("status"));
    add("image.openshift.io/v1", "imagestreamtags", "imagestreamtag", "ImageStreamTag", true,
        List.of("istag"), List.of());
    add("user.openshift.io/v1", "users", "user", "User", false, List.of(), List.of());
    add("rbac.authorization.k8s.io/v1", "clusterroles", "clusterrole", "ClusterRole", false, List.of(), List.of());
    add("rbac.authorization.k8s.io/v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false,
        List.of(), List.of());
    add("rbac.authorization.k8s.io/v1", "roles", "role", "Role", true, List.of(), List.of());
    add("rbac.authorization.k8s.io/v1", "rolebindings", "rolebinding", "RoleBinding", true, List.of(), List.of());
    add("oauth.openshift.io/v1", "oauthaccesstokens", "oauthaccesstoken", "OAuthAccessToken", false, List.of(),
        List.of());
    add("authorization.k8s.io/v1", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview",
        false, List.of(), List.of());
  }

  private void core(String plural, String singular, String kind, boolean namespaced,
      List<String> shortNames, List<String> subresources) {
    add("v1", plural, singular, kind, namespaced, shortNames, subresources);
  }

  private void add(String groupVersion, String plural, String singular, String kind,
      boolean namespaced, List<String> shortNames, List<String> subresources) {
    kinds.computeIfAbsent(groupVersion, gv -> new ArrayList<>())
        .add(new Kind(plural, singular, kind, namespaced, shortNames, subresources));
  }

  String version() {
    return """
        {"major":"1","minor":"29","gitVersion":"v1.29.10+67d3387","gitCommit":"67d33870c59bd5a6b0f8d5d0a8b4ba0d6e7a4f42",\
        "gitTreeState":"clean","buildDate":"2024-10-01T00:00:00Z","goVersion":"go1.21.11 (Red Hat 1.21.11-1.el9_4) X:strictfipsruntime",\
        "compiler":"gc","platform":"linux/amd64"}""";
  }

  String coreVersions() {
    return "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
        + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"" + serverAddress + "\"}]}";
  }

  String groups() {
    APIGroupListBuilder list = new APIGroupListBuilder();
    groupNames().forEach(group -> list.addToGroups(group(group)));
    return Serialization.asJson(list.build());
  }

  private List<String> groupNames() {
    return kinds.keySet().stream().filter(gv -> gv.contains("/"))
        .map(gv -> gv.substring(0, gv.indexOf('/'))).distinct().toList();
  }

  private APIGroup group(String name) {
    List<String> versions = kinds.keySet().stream().filter(gv -> gv.startsWith(name + "/"))
        .toList();
    APIGroupBuilder group = new APIGroupBuilder().withName(name);
    versions.forEach(gv -> group.addToVersions(new GroupVersionForDiscoveryBuilder()
        .withGroupVersion(gv).withVersion(gv.substring(gv.indexOf('/') + 1)).build()));
    String preferred = versions.get(0);
    return group.withPreferredVersion(new GroupVersionForDiscoveryBuilder()
        .withGroupVersion(preferred).withVersion(preferred.substring(preferred.indexOf('/') + 1))
        .build()).build();
  }

  /** The kind served at {@code groupVersion} ("v1" for core) under {@code plural}, if any. */
  Optional<Kind> kind(String groupVersion, String plural) {
    return kinds.getOrDefault(groupVersion, List.of()).stream().filter(k -> k.plural().equals(plural)).findFirst();
  }

  /** Every groupVersion the lab serves, core ("v1") first. */
  List<String> groupVersions() {
    return List.copyOf(kinds.keySet());
  }

  /** The kinds of one groupVersion. */
  List<Kind> kinds(String groupVersion) {
    return kinds.getOrDefault(groupVersion, List.of());
  }

  /** The APIResourceList for a groupVersion ("v1" for the core group), if the lab serves it. */
  Optional<String> resources(String groupVersion) {
    List<Kind> list = kinds.get(groupVersion);
    if (list == null) {
      return Optional.empty();
    }
    APIResourceListBuilder resources = new APIResourceListBuilder().withGroupVersion(groupVersion);
    for (Kind k : list) {
      resources.addToResources(resource(k));
      for (String sub : k.subresources()) {
        resources.addToResources(new APIResourceBuilder().withName(k.plural() + "/" + sub)
            .withSingularName("").withNamespaced(k.namespaced()).withKind(k.kind())
            .withVerbs(sub.equals("log") ? List.of("get") : STATUS_VERBS).build());
      }
    }
    return Optional.of(Serialization.asJson(resources.build()));
  }

  private static APIResource resource(Kind k) {
    APIResourceBuilder builder = new APIResourceBuilder().withName(k.plural())
        .withSingularName(k.singular()).withNamespaced(k.namespaced()).withKind(k.kind())
        .withVerbs(ALL_VERBS);
    if (!k.shortNames().isEmpty()) {
      builder.withShortNames(k.shortNames());
    }
    return builder.build();
  }
}
