package dev.regcheck.lab.core;

import java.util.List;
import java.util.Objects;

/**
 * What the embedded lab imitates: the lab profile's cluster, NFS export, storage names and user.
 *
 * @param appsDomain ingress domain, e.g. {@code apps.cluster1.example.com}
 * @param nodes node names (all Ready control-plane/worker nodes of a compact bare-metal cluster)
 * @param nfsServer the NFS server the lab's "network" can mount (PVs pointing elsewhere fail to mount)
 * @param nfsPath the exported path on {@code nfsServer}
 * @param pvName the procedure's PersistentVolume name (S03)
 * @param capacity the procedure's capacity, e.g. {@code 200Gi}
 * @param pvcName the procedure's claim name (S04)
 * @param namespace the registry namespace, normally {@code openshift-image-registry}
 * @param user the user the kubeconfig authenticates as (bearer token)
 */
public record LabSettings(String appsDomain, List<String> nodes, String nfsServer, String nfsPath,
    String pvName, String capacity, String pvcName, String namespace, String user) {

  public LabSettings {
    Objects.requireNonNull(appsDomain, "appsDomain");
    nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("at least one node is required");
    }
    Objects.requireNonNull(nfsServer, "nfsServer");
    Objects.requireNonNull(nfsPath, "nfsPath");
    Objects.requireNonNull(pvName, "pvName");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(pvcName, "pvcName");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(user, "user");
  }

  /** These settings with the lab's own NFS server address (the lab's network namespace). */
  public LabSettings withNfsServer(String server) {
    return new LabSettings(appsDomain, nodes, server, nfsPath, pvName, capacity, pvcName, namespace, user);
  }

  /** The API's host name: {@code api.<cluster domain>}, the apps domain without its {@code apps.} label. */
  public String apiHost() {
    return "api." + (appsDomain.startsWith("apps.") ? appsDomain.substring("apps.".length()) : appsDomain);
  }
}
