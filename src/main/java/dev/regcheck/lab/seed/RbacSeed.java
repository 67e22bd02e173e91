package dev.regcheck.lab.seed;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Set;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.core.LabSettings;

/**
 * The bootstrap policy the lab's registry authorizes against (openshift-apiserver
 * pkg/bootstrappolicy, CIRO's pruner role; openshift-facts.md §6): the image roles, the
 * per-namespace default bindings, {@code shared-resource-viewers} in {@code openshift}, and the
 * document's user as cluster-admin (the procedure's user lists the catalog, pushes and deletes
 * images). The faults replace the user's binding with a narrower one, or widen anonymous access.
 */
public final class RbacSeed {
  static final String IMAGE_BUILDER = "system:image-builder";
  /** The lab's own role for the procedure's API writes without the image API (not an OpenShift role). */
  static final String PROCEDURE_ADMIN = "lab:procedure-admin";
  /** The lab's own role: Images only (get, list, watch, delete). */
  static final String IMAGE_DELETER = "lab:image-deleter";
  /** The lab's own read-only role of restricted-auditor (not an OpenShift role). */
  static final String REGISTRY_AUDITOR = "lab:registry-auditor";
  static final String IMAGE_PULLER = "system:image-puller";
  static final String IMAGE_PUSHER = "system:image-pusher";
  static final String REGISTRY_VIEWER = "registry-viewer";
  static final String REGISTRY_EDITOR = "registry-editor";
  static final String IMAGE_PRUNER = "system:image-pruner";
  /** The registry's resources live in both the legacy ("") and the image.openshift.io group. */
  private static final String[] IMAGE_GROUPS = {"", "image.openshift.io"};
  private static final String[] READ = {"get", "list", "watch"};

  private RbacSeed() {}

  public static void seed(KubernetesClient client, LabSettings settings, Set<Fault> faults) {
    clusterRole(client, "cluster-admin", rule(new String[] {"*"}, new String[] {"*"}, "*"));
    clusterRole(client, IMAGE_PULLER, rule(IMAGE_GROUPS, new String[] {"imagestreams/layers"}, "get"));
    clusterRole(client, IMAGE_PUSHER,
        rule(IMAGE_GROUPS, new String[] {"imagestreams/layers"}, "get", "update"));
    clusterRole(client, IMAGE_BUILDER,
        rule(IMAGE_GROUPS, new String[] {"imagestreams/layers"}, "get", "update"),
        rule(IMAGE_GROUPS, new String[] {"imagestreams"}, "create"),
        rule(new String[] {"", "build.openshift.io"}, new String[] {"builds/details"}, "update"),
        rule(new String[] {"", "build.openshift.io"}, new String[] {"builds"}, "get"));
    String[] registryKinds = {"imagestreamimages", "imagestreammappings", "imagestreams",
        "imagestreamtags", "imagetags"};
    clusterRole(client, REGISTRY_VIEWER,
        rule(IMAGE_GROUPS, registryKinds, READ),
        rule(IMAGE_GROUPS, new String[] {"imagestreams/layers"}, "get"),
        rule(new String[] {""}, new String[] {"namespaces"}, "get"),
        rule(new String[] {"", "project.openshift.io"}, new String[] {"projects"}, "get"));
    clusterRole(client, REGISTRY_EDITOR,
        rule(IMAGE_GROUPS, registryKinds, "create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch"),
        rule(IMAGE_GROUPS, new String[] {"imagestreamimports"}, "create"),
        rule(IMAGE_GROUPS, new String[] {"imagestreams/layers"}, "get", "update"),
        rule(new String[] {""}, new String[] {"namespaces"}, "get"),
        rule(new String[] {"", "project.openshift.io"}, new String[] {"projects"}, "get"));
    clusterRole(client, IMAGE_PRUNER,
        rule(new String[] {""}, new String[] {"pods", "replicationcontrollers"}, "get", "list"),
        rule(new String[] {""}, new String[] {"limitranges"}, "list"),
        rule(IMAGE_GROUPS, new String[] {"images"}, "delete", "get", "list", "watch"),
        rule(IMAGE_GROUPS, new String[] {"imagestreams"}, "get", "list", "watch"),
        rule(IMAGE_GROUPS, new String[] {"imagestreams/status"}, "update"));
    clusterRole(client, "shared-resource-viewer",
        rule(new String[] {"", "template.openshift.io"}, new String[] {"templates"}, READ),
        rule(IMAGE_GROUPS, new String[] {"imagestreamimages", "imagestreams", "imagestreamtags",
            "imagetags"}, READ),
        rule(IMAGE_GROUPS, new String[] {"imagestreams/layers"}, "get"));

    for (String ns : ClusterSeed.namespaces(settings, faults)) {
      roleBinding(client, ns, "system:image-pullers", IMAGE_PULLER,
          group("system:serviceaccounts:" + ns));
      roleBinding(client, ns, "system:image-builders", IMAGE_BUILDER,
          new SubjectBuilder().withKind("ServiceAccount").withName("builder").withNamespace(ns).build());
    }
    roleBinding(client, "openshift", "shared-resource-viewers", "shared-resource-viewer",
        group("system:authenticated"));
    clusterRoleBinding(client, "cluster-admin", "cluster-admin", group("system:masters"));
    // oc logout deletes its own token: anyone may delete a token object whose name (its hash) it knows
    clusterRole(client, "system:oauth-token-deleter", rule(new String[] {"", "oauth.openshift.io"},
        new String[] {"oauthaccesstokens", "oauthauthorizetokens"}, "delete"));
    clusterRoleBinding(client, "system:oauth-token-deleters", "system:oauth-token-deleter", group("system:authenticated"));
    // the procedure's own API writes (config, PV, PVC, secrets, routes), without the image API: what
    // a user who set the registry up but holds no image role may do
    clusterRole(client, PROCEDURE_ADMIN, rule(new String[] {"", "apps", "config.openshift.io",
        "imageregistry.operator.openshift.io", "route.openshift.io", "storage.k8s.io", "rbac.authorization.k8s.io",
        "authorization.k8s.io", "user.openshift.io", "oauth.openshift.io"}, new String[] {"*"}, "*"));

    Subject user = new SubjectBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("User")
        .withName(settings.user()).build();
    if (faults.contains(Fault.NO_BUILDER_ROLE)) {
      // reads everything the registry shows (catalog, pulls) but may not push anywhere
      clusterRoleBinding(client, "registry-viewer-0", REGISTRY_VIEWER, user);
      clusterRoleBinding(client, "image-pruner-0", IMAGE_PRUNER, user);
      clusterRoleBinding(client, "procedure-admin-0", PROCEDURE_ADMIN, user);
    } else if (faults.contains(Fault.CATALOG_FORBIDDEN)) {
      // a project-scoped builder: pushes and pulls in the test namespace, no cluster-wide list
      roleBinding(client, "openshift", "system:image-builder-0", IMAGE_BUILDER, user);
      clusterRoleBinding(client, "procedure-admin-0", PROCEDURE_ADMIN, user);
      // S09 reads and deletes Images (cluster-scoped) without the pruner's cluster-wide list of streams
      clusterRole(client, IMAGE_DELETER, rule(IMAGE_GROUPS, new String[] {"images"}, "get", "list", "watch", "delete"));
      clusterRoleBinding(client, "image-deleter-0", IMAGE_DELETER, user);
    } else if (faults.contains(Fault.RESTRICTED_AUDITOR)) {
      // reads what the registry is made of, everywhere; no secrets, no events, no pods/log
      clusterRole(client, REGISTRY_AUDITOR,
          rule(new String[] {""}, new String[] {"namespaces", "nodes", "persistentvolumes", "persistentvolumeclaims", "pods",
              "services", "endpoints", "configmaps", "serviceaccounts"}, READ),
          rule(new String[] {"apps"}, new String[] {"deployments", "replicasets"}, READ),
          rule(new String[] {"storage.k8s.io"}, new String[] {"storageclasses"}, READ),
          rule(new String[] {"config.openshift.io"}, new String[] {"clusteroperators", "clusterversions", "images"}, READ),
          rule(new String[] {"imageregistry.operator.openshift.io"}, new String[] {"configs"}, READ),
          rule(new String[] {"route.openshift.io"}, new String[] {"routes"}, READ),
          rule(IMAGE_GROUPS, new String[] {"images", "imagestreams", "imagestreamtags"}, READ),
          rule(IMAGE_GROUPS, new String[] {"imagestreams/layers"}, "get"),
          // a workstation reaches the registry by port-forward (no object is written)
          rule(new String[] {""}, new String[] {"pods/portforward"}, "get", "create"),
          rule(new String[] {"user.openshift.io"}, new String[] {"users"}, "get"));
      clusterRoleBinding(client, "registry-auditor-0", REGISTRY_AUDITOR, user);
    } else {
      clusterRoleBinding(client, "cluster-admin-0", "cluster-admin", user);
    }
    if (faults.contains(Fault.ANONYMOUS_PUSH)) {
      roleBinding(client, "openshift", "system:image-builder-anonymous", IMAGE_BUILDER,
          group("system:unauthenticated"));
    }
  }

  private static PolicyRule rule(String[] groups, String[] resources, String... verbs) {
    return new PolicyRuleBuilder().withApiGroups(groups).withResources(resources).withVerbs(verbs)
        .build();
  }

  private static Subject group(String name) {
    return new SubjectBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("Group")
        .withName(name).build();
  }

  private static void clusterRole(KubernetesClient client, String name, PolicyRule... rules) {
    client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name)
        .addToAnnotations("rbac.authorization.kubernetes.io/autoupdate", "true").endMetadata()
        .withRules(List.of(rules)).build()).create();
  }

  private static void clusterRoleBinding(KubernetesClient client, String name, String role,
      Subject subject) {
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName(name).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole").withName(role).endRoleRef().withSubjects(subject).build()).create();
  }

  private static void roleBinding(KubernetesClient client, String namespace, String name,
      String clusterRole, Subject subject) {
    client.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata().withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(clusterRole)
        .endRoleRef().withSubjects(subject).build()).create();
  }
}
