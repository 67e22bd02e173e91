package dev.regcheck.lab.core;

import java.util.Map;

/**
 * OpenShift's well-known names that more than one part of the lab uses (openshift-facts.md): the
 * registry's objects, the operator's config, the ingress and OAuth namespaces, the storage
 * annotations. A name one part alone uses stays in that part.
 */
public final class WellKnown {
  private WellKnown() {}

  /** The registry's Deployment, Service, ClusterOperator and serving secret's base name. */
  public static final String REGISTRY = "image-registry";
  /** The registry's serving certificate (service CA), mounted into each pod. */
  public static final String REGISTRY_TLS_SECRET = "image-registry-tls";
  /** The registry's image, as the release payload names it. */
  public static final String REGISTRY_IMAGE = "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:"
      + "5e3ca3bd8e9a1c9e5ff0c3b6fd5ac6a2c5c0d3fd7c4a4c4ad86e3e1f2b6c1f7e";
  /** The registry pods' labels, also the Service's selector. */
  public static final Map<String, String> REGISTRY_POD_LABELS = Map.of("docker-registry", "default");
  /** The internal hostname the operator publishes in the image config. */
  public static final String REGISTRY_SERVER_ADDR = "image-registry.openshift-image-registry.svc:5000";
  /** The path of the registry's token endpoint. */
  public static final String REGISTRY_TOKEN_PATH = "/openshift/token";
  /** The one operator config, {@code configs.imageregistry.operator.openshift.io/cluster}. */
  public static final String REGISTRY_CONFIG = "cluster";
  /** The operator's finalizer on its config. */
  public static final String REGISTRY_FINALIZER = "imageregistry.operator.openshift.io/finalizer";
  /** The operator's own route ({@code spec.defaultRoute}); no {@code spec.routes} entry may take the name. */
  public static final String DEFAULT_ROUTE = "default-route";
  /** The operator's condition that its storage exists. */
  public static final String STORAGE_EXISTS = "StorageExists";

  /** Where the routers run. */
  public static final String INGRESS_NAMESPACE = "openshift-ingress";
  /** The default router's serving certificate. */
  public static final String ROUTER_CERTS_DEFAULT = "router-certs-default";

  /** The OAuth server's namespace and route. */
  public static final String OAUTH_NAMESPACE = "openshift-authentication";
  public static final String OAUTH_ROUTE = "oauth-openshift";

  /** The annotation that marks a StorageClass the default. */
  public static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
  /** The NFS CSI driver's provisioner name. */
  public static final String CSI_NFS = "nfs.csi.k8s.io";
}
