package dev.regcheck.lab;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regcheck.lab.apiserver.ApiServer;
import dev.regcheck.lab.apiserver.Identities;
import dev.regcheck.lab.apiserver.RequestLog;
import dev.regcheck.lab.core.Kubeconfig;
import dev.regcheck.lab.core.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A capture served by the lab's API server, read-only: no controller, kubelet, registry or router
 * runs; the objects are put in the store as they were captured (uid, creation time, status kept),
 * the audit's identity may get, list and watch everything and write nothing (RBAC answers 403), and
 * a read of what the capture did not collect is 403 "not in the capture", never a 404 or an empty list.
 */
public final class SnapshotLab implements AutoCloseable {
  /** The ClusterRole (and binding) that lets the audit's identity read everything and write nothing. */
  static final String READER_ROLE = "regcheck-capture-reader";

  /** An object to serve: its JSON as captured. */
  public record Item(String apiVersion, String kind, String namespace, String json) {}

  /**
   * A kind of a group captured whole in a namespace ("" cluster-scoped, {@link Scope#ALL_NAMESPACES}
   * across the cluster), or as far as a list's selectors chose ({@link #selector}; "" for none).
   */
  public record Scope(String group, String kind, String namespace, String selector) {
    /** Every namespace, and the cluster-scoped objects: a list across the cluster. */
    public static final String ALL_NAMESPACES = "*";

    /** The whole kind there, chosen by nothing. */
    public Scope(String group, String kind, String namespace) {
      this(group, kind, namespace, "");
    }

    /** A list's selectors in one form, whatever the order of their terms ("" for none). */
    public static String selector(String labelSelector, String fieldSelector) {
      String label = terms(labelSelector);
      String field = terms(fieldSelector);
      return (label.isEmpty() ? "" : "labelSelector=" + label) + (label.isEmpty() || field.isEmpty() ? "" : "&")
          + (field.isEmpty() ? "" : "fieldSelector=" + field);
    }

    private static String terms(String selector) {
      return selector == null ? "" : java.util.Arrays.stream(selector.split(",")).map(String::strip)
          .filter(t -> !t.isEmpty()).sorted().collect(java.util.stream.Collectors.joining(","));
    }

    boolean covers(String g, String k, String ns, String chosen) {
      return group.equals(g) && kind.equals(k) && (namespace.equals(ns) || namespace.equals(ALL_NAMESPACES))
          && (selector.isEmpty() || selector.equals(chosen));
    }
  }

  private static final String RBAC = "rbac.authorization.k8s.io/v1";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static ObjectNode readerRole() {
    ObjectNode role = JSON.objectNode().put("apiVersion", RBAC).put("kind", "ClusterRole");
    role.putObject("metadata").put("name", READER_ROLE);
    ObjectNode rule = role.putArray("rules").addObject();
    rule.putArray("apiGroups").add("*");
    rule.putArray("resources").add("*");
    rule.putArray("verbs").add("get").add("list").add("watch");
    return role;
  }

  private static ObjectNode readerBinding(String user) {
    ObjectNode binding = JSON.objectNode().put("apiVersion", RBAC).put("kind", "ClusterRoleBinding");
    binding.putObject("metadata").put("name", READER_ROLE);
    binding.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", "ClusterRole")
        .put("name", READER_ROLE);
    binding.putArray("subjects").addObject().put("apiGroup", "rbac.authorization.k8s.io").put("kind", "User")
        .put("name", user);
    return binding;
  }

  private final ApiServer api;
  private final Path kubeconfig;
  private final Map<String, Integer> notServed;

  private SnapshotLab(ApiServer api, Path kubeconfig, Map<String, Integer> notServed) {
    this.api = api;
    this.kubeconfig = kubeconfig;
    this.notServed = notServed;
  }

  /** A pod's captured log: its lines, the current container's or the previous one's. */
  public record Log(String namespace, String pod, boolean previous) {}

  /**
   * Serves {@code items} and the pods' {@code logs} to {@code user} (the profile's identity), with
   * a kubeconfig in {@code workDir}.
   */
  public static SnapshotLab serve(List<Item> items, Set<Scope> whole, Map<Log, List<String>> logs, String user,
      Path workDir) throws LabException {
    Identities identities = new Identities(user);
    ApiServer api = ApiServer.start(identities, new RequestLog(), "localhost");
    try {
      Map<String, Integer> notServed = new TreeMap<>();
      List<Item> all = new ArrayList<>(items);
      all.add(new Item(RBAC, "ClusterRole", null, readerRole().toString()));
      all.add(new Item(RBAC, "ClusterRoleBinding", null, readerBinding(user).toString()));
      for (Item item : all) {
        api.load(item.apiVersion(), item.kind(), item.namespace(), item.json())
            .ifPresent(why -> notServed.merge(item.kind() + " (" + item.apiVersion() + ")", 1, Integer::sum));
      }
      api.servePodLogs((namespace, pod, previous) -> Optional.ofNullable(logs.get(new Log(namespace, pod, previous))));
      api.serveCapture((group, kind, namespace, label, field) -> {
        String chosen = Scope.selector(label, field);
        return whole.stream().anyMatch(s -> s.covers(group, kind, namespace, chosen));
      });
      Files.createDirectories(workDir);
      Path file = Kubeconfig.write(workDir.resolve("kubeconfig"), api.url(), api.caPem(), identities.userActor(),
          identities.userToken());
      return new SnapshotLab(api, file, notServed);
    } catch (IOException | RuntimeException e) {
      api.close();
      throw new LabException("cannot serve the capture: " + e.getMessage(), e);
    }
  }

  /** The kubeconfig of the audit's identity (mode 0600). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Captured kinds the lab's API does not serve, with how many objects of each were left out. */
  public Map<String, Integer> notServed() {
    return Map.copyOf(notServed);
  }

  @Override
  public void close() {
    api.close();
  }
}
