package dev.regcheck.lab.apiserver;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The RBAC authorizer, evaluated against the lab API's own ClusterRoles, Roles and bindings as
 * kube-apiserver evaluates them: a request is allowed when some binding that applies to the user
 * (by name or by one of its groups) references a role with a rule matching the verb, API group,
 * resource (with subresource) and, for a RoleBinding, the namespace. No deny rules, as in RBAC.
 *
 * <p>Differences: no aggregation ({@code aggregationRule} is ignored: the lab's roles list their
 * rules), no non-resource URLs. A rule with resourceNames matches a request for one of those
 * names only (never a list, a watch or a create, which name no object), as kube's RBAC does.
 */
public final class Rbac {
  /** Where the RBAC objects are read: the API server's store, in-process (never through its own HTTP). */
  public interface Objects {
    List<ClusterRoleBinding> clusterRoleBindings();

    List<RoleBinding> roleBindings(String namespace);

    Optional<ClusterRole> clusterRole(String name);

    Optional<Role> role(String namespace, String name);
  }

  private final Objects objects;

  Rbac(Objects objects) {
    this.objects = objects;
  }

  /** What the authorizer is asked: SubjectAccessReview's resource attributes. */
  public record Attributes(String verb, String group, String resource, String namespace, String name) {
    /** A request that names no object (a list, a create, a check of a whole namespace). */
    public Attributes(String verb, String group, String resource, String namespace) {
      this(verb, group, resource, namespace, null);
    }

    public static Attributes clusterWide(String verb, String group, String resource) {
      return new Attributes(verb, group, resource, null);
    }
  }

  /** The groups every request of this user carries (what the authenticator adds). */
  static Set<String> groupsOf(String user) {
    if (Identities.ANONYMOUS.equals(user)) {
      return Set.of("system:unauthenticated");
    }
    if (Identities.CONTROL_PLANE_ACTOR.equals(user)) {
      return Set.of("system:authenticated", "system:masters");
    }
    if (user.startsWith("system:serviceaccount:")) {
      String namespace = user.split(":")[2];
      return Set.of("system:authenticated", "system:serviceaccounts",
          "system:serviceaccounts:" + namespace);
    }
    return Set.of("system:authenticated", "system:authenticated:oauth");
  }

  public boolean allowed(String user, Attributes request) {
    return allowed(user, groupsOf(user), request);
  }

  /** Whether {@code user}, carrying {@code groups}, may do what {@code request} asks. */
  public boolean allowed(String user, Set<String> groups, Attributes request) {
    for (var binding : objects.clusterRoleBindings()) {
      if (appliesTo(binding.getSubjects(), user, groups, null)
          && rules(binding.getRoleRef(), null).stream().anyMatch(r -> matches(r, request))) {
        return true;
      }
    }
    if (request.namespace() == null) {
      return false;
    }
    for (var binding : objects.roleBindings(request.namespace())) {
      if (appliesTo(binding.getSubjects(), user, groups, request.namespace())
          && rules(binding.getRoleRef(), request.namespace()).stream().anyMatch(r -> matches(r, request))) {
        return true;
      }
    }
    return false;
  }

  private static boolean appliesTo(List<Subject> subjects, String user, Set<String> groups,
      String bindingNamespace) {
    if (subjects == null) {
      return false;
    }
    for (Subject s : subjects) {
      switch (Optional.ofNullable(s.getKind()).orElse("")) {
        case "User" -> {
          if (user.equals(s.getName())) {
            return true;
          }
        }
        case "Group" -> {
          if (groups.contains(s.getName())) {
            return true;
          }
        }
        case "ServiceAccount" -> {
          String ns = s.getNamespace() != null ? s.getNamespace() : bindingNamespace;
          if (user.equals("system:serviceaccount:" + ns + ":" + s.getName())) {
            return true;
          }
        }
        default -> {
          // unknown subject kinds match nobody
        }
      }
    }
    return false;
  }

  private List<PolicyRule> rules(RoleRef ref, String namespace) {
    if (ref == null) {
      return List.of();
    }
    if ("ClusterRole".equals(ref.getKind())) {
      return objects.clusterRole(ref.getName()).map(ClusterRole::getRules).orElse(List.of());
    }
    if ("Role".equals(ref.getKind()) && namespace != null) {
      return objects.role(namespace, ref.getName()).map(Role::getRules).orElse(List.of());
    }
    return List.of();
  }

  static boolean matches(PolicyRule rule, Attributes request) {
    return covers(rule.getVerbs(), request.verb())
        && covers(rule.getApiGroups(), request.group())
        && covers(rule.getResources(), request.resource())
        && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
            || (request.name() != null && rule.getResourceNames().contains(request.name())));
  }

  private static boolean covers(List<String> values, String wanted) {
    if (values == null) {
      return false;
    }
    List<String> all = new ArrayList<>(values);
    return all.contains("*") || all.contains(wanted);
  }
}
