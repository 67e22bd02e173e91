package dev.regcheck.catalog;

import static dev.regcheck.catalog.Tags.CERT;
import static dev.regcheck.catalog.Tags.DELETION;
import static dev.regcheck.catalog.Tags.LOGIN;
import static dev.regcheck.catalog.Tags.NFS;
import static dev.regcheck.catalog.Tags.OPERATOR;
import static dev.regcheck.catalog.Tags.POD;
import static dev.regcheck.catalog.Tags.PUSH;
import static dev.regcheck.catalog.Tags.ROUTE;
import static dev.regcheck.catalog.Tags.SECURITY;
import static dev.regcheck.catalog.Tags.STORAGE;
import static dev.regcheck.catalog.Tags.SVC;
import static dev.regcheck.catalog.Tags.TROUBLESHOOT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The check catalog of checks.md, in code: the one source that the suites, the Allure labels,
 * the terminal and Markdown checklists and {@code regcheck list} all read. Only implemented checks
 * are listed.
 */
public final class Catalog {

  private static final String CONFIG = "configs.imageregistry.operator.openshift.io ${config}";

  /** The storage types of spec.storage besides pvc: a merge patch must clear them, or it only adds a second type. */
  private static final List<String> OTHER_STORAGE_TYPES = List.of("emptyDir", "s3", "gcs", "swift", "azure", "ibmcos", "oss");

  /**
   * S05's merge patch: the claim, and every other storage type removed ({@code null}); the
   * document's patch sets pvc alone and leaves an earlier emptyDir in place (two types, which the
   * operator refuses).
   */
  public static String storagePatch(String claim) {
    StringBuilder p = new StringBuilder("{\"spec\":{\"storage\":{");
    OTHER_STORAGE_TYPES.forEach(t -> p.append('"').append(t).append("\":null,"));
    return p.append("\"pvc\":{\"claim\":\"").append(claim).append("\"}}}}").toString();
  }

  private static final String DEPLOYED = "the operator deploys the registry (deployment, service) only for a config that is Managed, processed and whose storage it applied";
  private static final String IN_REGISTRY_NAMESPACE = "namespace is the registry's, which exists only where the "
      + "registry is installed (the ImageRegistry capability)";
  private static final String ROUTED = "the operator makes its routes only for a config that is Managed, processed and whose storage it applied";

  private static final List<CheckDef> CHECKS = List.of(
      check("S01.1", Step.S01, true, Set.of(OPERATOR), List.of(),
          "配置 ${config} 存在且 spec.managementState 为 Managed",
          "config ${config} exists and spec.managementState is Managed",
          "将管理状态切换为 Managed", "switch the management state to Managed",
          "oc patch " + CONFIG + " --type merge --patch '{\"spec\":{\"managementState\":\"Managed\"}}'"),
      check("S01.2", Step.S01, true, Set.of(OPERATOR), List.of(
          Need.passes("S01.1", "the operator acts on the config only when it exists and is Managed: a Removed or Unmanaged config is never processed")),
          "Operator 已处理该配置，未卡在 StorageNotConfigured 或 VerificationFailed",
          "the operator has processed the config and is not stuck on StorageNotConfigured or VerificationFailed",
          "先（或同时）配置存储（S05），并按 Operator 的消息修正配置",
          "configure storage (S05) before or together with Managed, and fix what the operator's message names",
          "oc patch " + CONFIG + " --type merge --patch '" + storagePatch("${claim}") + "'"),
      check("S02.1", Step.S02, true, Set.of(NFS), List.of(),
          "NFS 服务器 ${nfsServer} 的 portmapper 列出 TCP 上的 NFS (100003) 与 MOUNT (100005)",
          "the portmapper on ${nfsServer} lists NFS (100003) and MOUNT (100005) over TCP",
          "在 NFS 服务器 ${nfsServer} 上安装 nfs-utils，启用 nfs-server，并在防火墙放行 rpc-bind、nfs、mountd",
          "on the NFS server ${nfsServer}: install nfs-utils, enable nfs-server and open the firewall services rpc-bind, nfs and mountd",
          "yum install -y nfs-utils; systemctl enable --now nfs-server; firewall-cmd --permanent --add-service=rpc-bind --add-service=nfs --add-service=mountd; firewall-cmd --reload; rpcinfo -p ${nfsServer}"),
      check("S02.2", Step.S02, true, Set.of(NFS), List.of(
          Need.passes("S02.1", "MOUNT's port is found through the portmapper")),
          "MOUNT 导出列表包含 ${nfsPath}，对所有主机（*）或覆盖集群节点的组开放",
          "the MOUNT export list holds ${nfsPath} for all hosts (*) or for a group that covers the cluster's nodes",
          "在 ${nfsServer} 的 /etc/exports 中导出 ${nfsPath} 给所有主机，然后重新导出",
          "on ${nfsServer}, export ${nfsPath} to all hosts in /etc/exports, then re-export",
          "mkdir -p ${nfsPath}; echo '${nfsPath} *(rw)' >> /etc/exports; exportfs -rv; showmount -e ${nfsServer}"),
      check("S02.3", Step.S02, true, Set.of(NFS), List.of(
          Need.passes("S02.1", "NFS's port is found through the portmapper")),
          "NFS 服务响应 v3 和/或 v4 的 NULL 过程",
          "the NFS service answers the NULL procedure for v3 and/or v4",
          "在 ${nfsServer} 上启动 nfs-server 并放行防火墙服务 nfs",
          "on ${nfsServer}, start nfs-server and open the firewall service nfs",
          "systemctl enable --now nfs-server; firewall-cmd --permanent --add-service=nfs; firewall-cmd --reload; rpcinfo -t ${nfsServer} nfs"),
      check("S02.4", Step.S02, false, Set.of(NFS), List.of(
          Need.passes("S02.2", "the probe mounts the export")),
          "写入探测：在 ${nfsServer}:${nfsPath} 上创建、读回并删除一个小文件",
          "write probe: create, read back and remove a small file on ${nfsServer}:${nfsPath}",
          "按文档让导出可写：rw 导出、目录权限 777、SELinux 上下文 public_content_t",
          "make the export writable as the document does: an rw export, mode 777 on the directory, SELinux type public_content_t",
          "chmod 777 ${nfsPath}; semanage fcontext -a -t public_content_t '${nfsPath}(/.*)?'; restorecon -Rv ${nfsPath}; grep '${nfsPath}' /etc/exports  # must read ${nfsPath} *(rw); exportfs -rv"),
      check("S03.1", Step.S03, true, Set.of(STORAGE), List.of(),
          "PV ${pvName} 存在：容量 ≥ ${capacity}、ReadWriteMany、Retain、NFS ${nfsServer}:${nfsPath}",
          "PV ${pvName} exists: capacity ≥ ${capacity}, ReadWriteMany, Retain, NFS ${nfsServer}:${nfsPath}",
          "按文档创建 PV（storageClassName 为空）；已绑定的 PV 须删除后重建",
          "create the PV as the document does (storageClassName \"\"); a wrong bound PV must be deleted and re-created",
          "oc apply -f pv.yaml  # PV ${pvName}: ${capacity}, ReadWriteMany, Retain, nfs {server: ${nfsServer}, path: ${nfsPath}}, storageClassName \"\""),
      check("S03.2", Step.S03, true, Set.of(STORAGE), List.of(
          Need.explainsAbsence("S03.1", "with no volume there is nothing to bind"),
          Need.explainsAbsence("S04.1", "a volume binds only to a claim that exists"),
          Need.explainsAbsence("S04.2", "a volume waits for its claim: a claim that cannot bind leaves it Available")),
          "PV ${pvName} 已绑定到 ${namespace}/${pvcName}",
          "PV ${pvName} is Bound to ${namespace}/${pvcName}",
          "查看 PV 的 claimRef；Retain 策略下 Released 的 PV 需先清除 claimRef 才能再绑定",
          "look at the PV's claimRef; a Released Retain PV binds again only after its claimRef is cleared",
          "oc get pv ${pvName} -o wide; oc patch pv ${pvName} --type json -p '[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]'"),
      check("S04.1", Step.S04, true, Set.of(STORAGE), List.of(
          Need.explainsAbsence("S01.1", "the claim's " + IN_REGISTRY_NAMESPACE)),
          "PVC ${pvcName} 存在于 ${namespace}：ReadWriteMany、请求 ≤ PV 容量、存储类与 PV 一致（均为空）",
          "PVC ${pvcName} exists in ${namespace}: ReadWriteMany, request ≤ the PV's capacity, same storage class as the PV (both empty)",
          "按文档创建 PVC 并显式设置 storageClassName: \"\"；已取了默认 StorageClass 的 PVC 须删除后重建",
          "create the PVC as the document does, with storageClassName: \"\" set explicitly; a PVC that took the default StorageClass must be deleted and re-created",
          "oc delete pvc ${pvcName} -n ${namespace} --ignore-not-found; oc apply -f pvc.yaml  # ReadWriteMany, ${request}, storageClassName \"\""),
      check("S04.2", Step.S04, true, Set.of(STORAGE), List.of(
          Need.explainsAbsence("S04.1", "with no claim there is nothing to bind")),
          "PVC ${pvcName} 已绑定到卷 ${pvName}",
          "PVC ${pvcName} is Bound to volume ${pvName}",
          "查看 PVC 的事件，找出无法绑定的原因（存储类、访问模式、容量）",
          "read the PVC's events for why it does not bind (storage class, access mode, capacity)",
          "oc describe pvc ${pvcName} -n ${namespace}"),
      check("S05.1", Step.S05, true, Set.of(OPERATOR, STORAGE), List.of(
          Need.explainsAbsence("S01.1", "the config exists only where the registry is installed (the ImageRegistry "
              + "capability)")),
          "spec.storage 只配置了一种存储，即 pvc.claim = ${claim}",
          "spec.storage has exactly one storage type: pvc.claim = ${claim}",
          "把存储后端设为该 PVC", "set the storage backend to the claim",
          "oc patch " + CONFIG + " --type merge --patch '" + storagePatch("${claim}") + "'"),
      check("S05.2", Step.S05, true, Set.of(OPERATOR, STORAGE), List.of(
          Need.passes("S01.1", "the operator writes status.storage only for a Managed config"),
          Need.passes("S05.1", "status is compared with the profile's claim, which the spec must name: a spec with another claim or several types is never applied")),
          "status.storage.pvc.claim 一致，且条件 StorageExists 为 True",
          "status.storage.pvc.claim matches and condition StorageExists is True",
          "查看 Operator 写入的存储条件", "read the storage condition the operator wrote",
          "oc get " + CONFIG + " -o jsonpath='{.status.storage}{\"\\n\"}{.status.conditions[?(@.type==\"StorageExists\")]}'"),
      check("S05.3", Step.S05, true, Set.of(OPERATOR, STORAGE), List.of(
          Need.passes("S01.1", "a Removed registry reports the cluster operator Available and settled: the verdict would mean nothing")),
          "集群 Operator image-registry 已稳定：Available=True、Progressing=False、Degraded=False",
          "cluster operator image-registry has settled: Available=True, Progressing=False, Degraded=False",
          "等待 oc get co 稳定；若持续失败，按条件消息排查 Registry Pod",
          "wait for oc get co to settle; if it does not, follow the condition message to the registry pod",
          "oc get co image-registry; oc get pod -n ${namespace} -l ${podSelector}"),
      check("S05.4", Step.S05, false, Set.of(OPERATOR), List.of(
          Need.passes("S05.3", "a config still rolling out changes legitimately: a hot loop shows only once the operator has settled")),
          "Operator 没有热循环：配置的 resourceVersion 在观察窗口内不变",
          "the operator is not hot-looping: the config's resourceVersion stays unchanged for a window",
          "查看 Operator 日志中反复出现的更新", "look for repeated updates in the operator's log",
          "oc logs -n openshift-image-registry deployment/cluster-image-registry-operator --tail=50"),
      check("S06.1", Step.S06, true, Set.of(POD), List.of(
          Need.explainsAbsence("S01.1", DEPLOYED),
          Need.explainsAbsence("S01.2", DEPLOYED),
          Need.explainsAbsence("S05.2", DEPLOYED)),
          "Registry Pod（${podSelector}）全部 Running 且 Ready，数量 = 部署的 readyReplicas = 配置的 replicas，部署 ${deployment} 已完成",
          "registry pods (${podSelector}) are all Running and Ready, count = the deployment's readyReplicas = the config's replicas, deployment ${deployment} rolled out",
          "查看 Pod 的事件与日志", "read the pod's events and log",
          "oc get pod -n ${namespace} -l ${podSelector}; oc describe pod -n ${namespace} -l ${podSelector}"),
      check("S06.2", Step.S06, true, Set.of(POD), List.of(
          Need.explainsAbsence("S01.1", DEPLOYED),
          Need.explainsAbsence("S01.2", DEPLOYED),
          Need.explainsAbsence("S05.2", DEPLOYED)),
          "Registry Pod 在 /registry 挂载了来自 ${claim} 的卷 registry-storage",
          "registry pods mount volume registry-storage from claim ${claim} at /registry",
          "存储配置变化后等待部署重新发布", "after a storage change, wait for the deployment to roll out again",
          "oc get deployment ${deployment} -n ${namespace} -o jsonpath='{.spec.template.spec.volumes}'"),
      check("S06.3", Step.S06, false, Set.of(POD), List.of(
          Need.explainsAbsence("S01.1", DEPLOYED),
          Need.explainsAbsence("S01.2", DEPLOYED),
          Need.explainsAbsence("S05.2", DEPLOYED)),
          "Registry 容器没有重启（无 CrashLoop）",
          "registry containers have not restarted (no crash loop)",
          "查看上一次容器的日志", "read the previous container's log",
          "oc logs -n ${namespace} -l ${podSelector} --previous --tail=50"),
      check("S07.1", Step.S07, true, Set.of(OPERATOR), List.of(
          Need.passes("S01.1", "the operator mirrors spec.storage.managementState into status only for a Managed config"),
          Need.passes("S05.1", "and only for a storage spec it can apply")),
          "spec.storage.managementState 为 Managed，且反映在 status.storage.managementState 与 status.storageManaged",
          "spec.storage.managementState is Managed, mirrored in status.storage.managementState and status.storageManaged",
          "启用存储管理（注意：之后切到 Removed 会删除 PVC）",
          "make storage Managed (note: switching to Removed afterwards deletes the PVC)",
          "oc patch " + CONFIG + " --type merge --patch '{\"spec\":{\"storage\":{\"managementState\":\"Managed\"}}}'"),
      check("S08.1", Step.S08, true, Set.of(SVC), List.of(
          Need.explainsAbsence("S01.1", DEPLOYED),
          Need.explainsAbsence("S01.2", DEPLOYED),
          Need.explainsAbsence("S05.2", DEPLOYED)),
          "服务 ${service}（${namespace}）暴露端口 5000、选择 ${podSelector}，且有就绪的端点",
          "service ${service} in ${namespace} exposes port 5000, selects ${podSelector} and has ready endpoints",
          "服务由 Operator 创建；端点来自就绪的 Registry Pod", "the operator creates the service; its endpoints come from Ready registry pods",
          "oc get svc ${service} -n ${namespace} -o wide; oc get endpoints ${service} -n ${namespace}"),
      check("S08.2", Step.S08, true, Set.of(SVC), List.of(
          Need.explainsAbsence("S01.1", "a Removed registry has no service, so no internal hostname"),
          Need.explainsAbsence("S05.3", "the operator publishes the hostname once it has created the service")),
          "images.config.openshift.io/cluster 的 status.internalRegistryHostname 为 ${registryHost}",
          "images.config.openshift.io/cluster status.internalRegistryHostname is ${registryHost}",
          "Registry 为 Managed 且服务存在后，Operator 会写入内部主机名",
          "the operator publishes the internal hostname once the registry is Managed and its service exists",
          "oc get images.config.openshift.io cluster -o jsonpath='{.status.internalRegistryHostname}'"),
      check("S08.3", Step.S08, true, Set.of(SVC, Tags.CERT), List.of(
          Need.passes("S08.1", "the handshake goes to a ready endpoint of the service's port 5000")),
          "服务提供的证书包含 SAN ${service}.${namespace}.svc 与 .svc.cluster.local，当前有效，并链到服务 CA",
          "the service's certificate has SANs ${service}.${namespace}.svc and …svc.cluster.local, is valid now and chains to the service CA",
          "删除服务证书 Secret，让 service-ca 重新签发，然后重启 Registry Pod",
          "delete the serving-certificate secret so that service-ca issues it again, then restart the registry pods",
          "oc delete secret image-registry-tls -n ${namespace}; oc rollout restart deployment/${deployment} -n ${namespace}"),
      check("S08.4", Step.S08, true, Set.of(LOGIN), List.of(),
          "当前身份有可用的 Bearer 令牌（oc whoami -t）",
          "a bearer token is available for the profile's identity (oc whoami -t)",
          "用户名密码登录以获得令牌（证书认证的 kubeconfig 没有令牌）",
          "log in with a user name to get a token (a kubeconfig that authenticates by client certificate has none)",
          "oc login -u ${user} ${apiUrl}; oc whoami -t"),
      check("S08.5", Step.S08, true, Set.of(LOGIN, SVC), List.of(
          Need.passes("S08.3", "the login trusts the service certificate through the service CA"),
          Need.explainsAbsence("S08.4", "the login exchanges a bearer token: without one there is nothing to log in with "
              + "(a refused kubeconfig session that the run logged in again for leaves one)")),
          "登录 Registry：匿名 /v2/ 返回 401 且 realm 以 /openshift/token 结尾，用令牌交换后 /v2/ 返回 200",
          "registry login: anonymous /v2/ is 401 with a realm ending in /openshift/token, and after the token exchange /v2/ answers 200",
          "任意用户名 + oc whoami -t 的令牌作为密码登录", "log in with any user name and the token from oc whoami -t as the password",
          "podman login -u ${user} -p $(oc whoami -t) ${registryHost}"),
      check("S08.6", Step.S08, true, Set.of(SVC), List.of(
          Need.passes("S08.5", "the catalog needs a registry token")),
          "podman search ${registryHost}/ 的等价操作：/v2/_catalog 列出仓库",
          "podman search ${registryHost}/ equivalent: /v2/_catalog lists repositories",
          "目录需要集群范围 list imagestreams 权限（如 cluster-admin 或 registry-viewer）",
          "the catalog needs cluster-wide list imagestreams (cluster-admin, or registry-viewer bound cluster-wide)",
          "oc adm policy add-cluster-role-to-user registry-viewer ${user}; podman search ${registryHost}/"),
      check("S08.7", Step.S08, true, Set.of(PUSH), List.of(
          Need.passes("S08.5", "the push needs a registry token")),
          "推送测试镜像到 ${repository}：清单 PUT 返回 201，ImageStream 出现该标签，Image sha256:… 的引用指向服务地址",
          "push the test image to ${repository}: manifest PUT is 201, the image stream has the tag, and Image sha256:… references the service",
          "推送需要目标项目中的 system:image-builder 角色", "pushing needs the system:image-builder role in the target project",
          "oc policy add-role-to-user system:image-builder ${user} -n ${imageNamespace}; podman push ${registryHost}/${repository}:${tag}"),
      check("S08.8", Step.S08, true, Set.of(PUSH), List.of(
          Need.passes("S08.7", "it pulls back what S08.7 pushed")),
          "按标签和摘要拉回：清单与每个层都与摘要一致",
          "pull back by tag and by digest: the manifest and every blob verify against their digests",
          "检查 Registry 日志与存储", "read the registry's log and check its storage",
          "podman pull ${registryHost}/${repository}:${tag}; oc logs -n ${namespace} deployment/${deployment} --tail=50"),
      check("S08.9", Step.S08, true, Set.of(SECURITY, PUSH), List.of(
          Need.passes("S08.5", "the refused pull is told from a broken login only once a login works")),
          "匿名推送被拒绝；没有 get imagestreams/layers 权限的身份无法拉取",
          "an anonymous push is refused, and a pull by an identity without get imagestreams/layers is refused",
          "删除把镜像角色授予 system:unauthenticated 或 system:anonymous 的绑定",
          "remove the bindings that give image roles to system:unauthenticated or system:anonymous",
          "oc get rolebindings,clusterrolebindings -A -o wide | grep -E 'system:unauthenticated|system:anonymous'"),
      check("S09.1", Step.S09, true, Set.of(DELETION), List.of(
          Need.passes("S08.7", "it looks for the digest S08.7 pushed")),
          "Image 列表中测试仓库恰好有推送的摘要（oc get images | grep）",
          "the Image list holds exactly the pushed digest for the test repository (oc get images | grep)",
          "推送后由 Registry 创建 Image 对象", "the registry creates the Image object when the image is pushed",
          "oc get images | grep ${repository}"),
      check("S09.2", Step.S09, true, Set.of(DELETION), List.of(
          Need.passes("S09.1", "it deletes the Image S09.1 found")),
          "oc delete images sha256:… 之后该 Image 对象消失",
          "after oc delete images sha256:… the Image object is gone",
          "删除 Image 需要集群范围的 delete images 权限（system:image-pruner）",
          "deleting an Image needs cluster-wide delete images (system:image-pruner)",
          "oc delete images <sha256:digest>"),
      check("S09.3", Step.S09, true, Set.of(DELETION), List.of(
          Need.passes("S09.2", "it pulls what S09.2 deleted")),
          "删除后按摘要拉取清单返回 404 MANIFEST_UNKNOWN",
          "afterwards pulling the manifest by digest answers 404 MANIFEST_UNKNOWN",
          "Registry 仍在提供已删除的镜像：重启 Registry Pod 以清除其缓存",
          "the registry still serves the deleted image: restart the registry pods to drop its cache",
          "oc rollout restart deployment/${deployment} -n ${namespace}; oc adm prune images --confirm --registry-url=${registryHost}"),
      check("S10.1", Step.S10, true, Set.of(ROUTE), List.of(
          Need.explainsAbsence("S01.1", ROUTED),
          Need.explainsAbsence("S01.2", ROUTED),
          Need.explainsAbsence("S05.2", ROUTED)),
          "spec.defaultRoute 为 true；${namespace} 中的路由 default-route 主机为 ${defaultRouteHost}，终止方式 reencrypt，且已被路由器接纳",
          "spec.defaultRoute is true; route default-route in ${namespace} has host ${defaultRouteHost}, termination reencrypt, and is admitted by the router",
          "打开默认路由，等待 image-registry 集群 Operator 稳定",
          "turn the default route on and wait for cluster operator image-registry to settle",
          "oc patch " + CONFIG + " --type merge -p '{\"spec\":{\"defaultRoute\":true}}'; oc get co image-registry; oc get route default-route -n ${namespace}"),
      check("S10.2", Step.S10, true, Set.of(ROUTE), List.of(
          Need.explainsAbsence("S10.1", "the operator publishes the host of the route it made")),
          "images.config.openshift.io/cluster 的 status.externalRegistryHostnames 包含 ${defaultRouteHost}",
          "images.config.openshift.io/cluster status.externalRegistryHostnames contains ${defaultRouteHost}",
          "Operator 在路由创建后发布外部主机名：查看其状态与日志",
          "the operator publishes external hostnames once it has made the route: read its status and log",
          "oc get images.config.openshift.io cluster -o jsonpath='{.status.externalRegistryHostnames}'; oc get co image-registry"),
      check("S10.3", Step.S10, true, Set.of(ROUTE, CERT), List.of(
          Need.explainsAbsence("S10.1", "the router serves a certificate for the host only once it admitted the route")),
          "取得 Ingress CA（default-ingress-cert 或 router-certs-default），以 SNI=${defaultRouteHost} 握手得到的证书当前有效、覆盖该主机并由其验证",
          "the ingress CA is obtained (default-ingress-cert, else router-certs-default), and the certificate served for SNI ${defaultRouteHost} is valid now, covers the host and verifies against it",
          "信任 Ingress 证书：把 router-certs-default 的 tls.crt 放入系统信任锚点并 update-ca-trust",
          "trust the ingress certificate: put router-certs-default's tls.crt into the system trust anchors and run update-ca-trust",
          "oc get secret -n openshift-ingress router-certs-default -o go-template='{{index .data \"tls.crt\"}}' | base64 -d > ${trustAnchors}/${defaultRouteHost}.crt; ${trustUpdate}"),
      check("S10.4", Step.S10, true, Set.of(ROUTE, PUSH, LOGIN), List.of(
          Need.passes("S10.3", "the client trusts the route through the ingress CA"),
          Need.passes("S08.7", "the digest is compared with the one pushed through the service")),
          "经默认路由登录、推送与拉取，摘要与经服务推送的一致",
          "log in, push and pull through the default route; the digest equals the one pushed through the service",
          "经路由登录：任意用户名 + oc whoami -t 的令牌",
          "log in through the route with any user name and the token from oc whoami -t",
          "podman login -u ${user} -p $(oc whoami -t) ${defaultRouteHost}; podman push ${defaultRouteHost}/${repository}:${tag}"),
      check("S11.1", Step.S11, true, Set.of(ROUTE, CERT), List.of(
          Need.explainsAbsence("S01.1", "the secret's " + IN_REGISTRY_NAMESPACE)),
          "${namespace} 中的 Secret ${routeSecret} 类型为 kubernetes.io/tls，且 tls.key 是 tls.crt 的私钥",
          "secret ${routeSecret} in ${namespace} is kubernetes.io/tls, and tls.key is the private key of tls.crt",
          "用同一次生成的证书和私钥重建 Secret",
          "recreate the secret from the certificate and the key generated together",
          "oc delete secret ${routeSecret} -n ${namespace}; oc create secret tls ${routeSecret} -n ${namespace} --cert=registry.crt --key=registry.key"),
      check("S11.2", Step.S11, true, Set.of(CERT), List.of(
          Need.explainsAbsence("S11.1", "the certificate is read from the secret")),
          "证书：SAN DNS 包含 ${routeHost}；CA:FALSE；密钥用法含 digitalSignature 与 keyEncipherment；RSA ≥ 2048 或 EC ≥ 256；签名 SHA-256 或更强；当前有效（剩余不足 30 天为 WARN）",
          "the certificate: SAN DNS contains ${routeHost}; CA:FALSE; key usage digitalSignature and keyEncipherment; RSA ≥ 2048 or EC ≥ 256; signature SHA-256 or stronger; valid now (WARN under 30 days left)",
          "按文档的 certs.cnf（v3_req）重新签发证书",
          "reissue the certificate with the document's certs.cnf (v3_req)",
          "openssl genrsa -out registry.key ${certBits}; openssl req -new -key registry.key -out registry.csr -subj '${certSubject}' -sha512; openssl x509 -req -in registry.csr -CA ${rootCa} -CAkey root.key -CAcreateserial -out registry.crt -days ${certDays} -sha512 -extensions v3_req -extfile certs.cnf"),
      check("S11.3", Step.S11, true, Set.of(CERT), List.of(
          Need.explainsAbsence("S11.1", "the certificate is read from the secret")),
          "证书链到配置文件的根 CA（${rootCa}），且该根 CA 为 CA:TRUE",
          "the certificate chains to the profile's root CA (${rootCa}), which is itself CA:TRUE",
          "用实验室根 CA 重新签发证书",
          "reissue the certificate signed by the lab root CA",
          "openssl verify -CAfile ${rootCa} registry.crt"),
      check("S11.4", Step.S11, true, Set.of(ROUTE), List.of(
          Need.explainsAbsence("S01.1", ROUTED),
          Need.explainsAbsence("S01.2", ROUTED),
          Need.explainsAbsence("S05.2", ROUTED),
          Need.explainsAbsence("S11.1", "the operator makes the route from the secret's certificate and key")),
          "spec.routes 含 {name ${routeName}, hostname ${routeHost}, secretName ${routeSecret}}；该路由存在、主机一致、reencrypt、证书等于 Secret 的 tls.crt，且已被接纳",
          "spec.routes has {name ${routeName}, hostname ${routeHost}, secretName ${routeSecret}}; the route exists with that host, reencrypt, spec.tls.certificate equal to the secret's tls.crt, and is admitted",
          "在 spec.routes 中加入该条目（名称不能是 default-route）",
          "add the entry to spec.routes (its name must not be default-route)",
          "oc patch " + CONFIG + " --type merge -p '{\"spec\":{\"routes\":[{\"name\":\"${routeName}\",\"hostname\":\"${routeHost}\",\"secretName\":\"${routeSecret}\"}]}}'"),
      check("S11.5", Step.S11, true, Set.of(ROUTE, CERT), List.of(
          Need.explainsAbsence("S11.1", "the served certificate is compared with the secret's"),
          Need.explainsAbsence("S11.4", "the router serves a certificate for the host only once it admitted the route")),
          "以 SNI=${routeHost} 握手得到的正是 Secret 的证书，并经根 CA 信任；externalRegistryHostnames 列出该主机",
          "a TLS handshake with SNI ${routeHost} presents exactly the secret's certificate, trusted through the root CA; externalRegistryHostnames lists the host",
          "确认路由已接纳、路由器已加载证书，并信任实验室根 CA",
          "check the route is admitted and the router serves its certificate, and trust the lab root CA",
          "openssl s_client -connect ${routeHost}:443 -servername ${routeHost} -CAfile ${rootCa} </dev/null; oc get route ${routeName} -n ${namespace} -o yaml"),
      check("S11.6", Step.S11, true, Set.of(ROUTE, PUSH, LOGIN), List.of(
          Need.passes("S11.5", "the client trusts the route through the lab root CA"),
          Need.passes("S08.7", "the digest is compared with the one pushed through the service")),
          "经自定义路由登录、推送与拉取",
          "log in, push and pull through the custom route",
          "经路由登录：任意用户名 + oc whoami -t 的令牌",
          "log in through the route with any user name and the token from oc whoami -t",
          "podman login -u ${user} -p $(oc whoami -t) ${routeHost}; podman push ${routeHost}/${repository}:${tag}"),
      check("S12.1", Step.S12, true, Set.of(LOGIN, TROUBLESHOOT), List.of(),
          "API 服务器的证书由 kubeconfig 中的 CA 验证",
          "the API server's certificate verifies against the kubeconfig's CA",
          "x509: certificate signed by unknown authority：恢复安装程序生成的 kubeconfig",
          "x509: certificate signed by unknown authority: restore the installer's kubeconfig",
          "cp /openshift/auth/kubeconfig /root/.kube/config; oc whoami"),
      check("S12.2", Step.S12, true, Set.of(LOGIN, TROUBLESHOOT), List.of(),
          "用户名密码登录（oc login -u -p）：OAuth 服务器 oauth-openshift.${appsDomain}（使用 Ingress 证书）受信任并签发令牌",
          "user name and password login (oc login -u -p): the OAuth server oauth-openshift.${appsDomain} (served with the ingress certificate) is trusted and issues a token",
          "信任 Ingress CA（default-ingress-cert），并确认用户名与密码",
          "trust the ingress CA (default-ingress-cert) and check the user name and password",
          "oc get configmap default-ingress-cert -n openshift-config-managed -o jsonpath='{.data.ca-bundle\\.crt}' > ${trustAnchors}/ingress-ca.crt; ${trustUpdate}; oc login -u ${user} ${apiUrl}"),
      check("S12.3", Step.S12, true, Set.of(LOGIN, ROUTE), List.of(
          Need.passes("S08.5", "it logs in with the token the registry accepted through the service")),
          "用该令牌经每个暴露的路由登录成功（podman login 的等价操作）",
          "login through each exposed route with that token succeeds (podman login equivalent)",
          "任意用户名 + oc whoami -t 的令牌；无令牌时先 oc login；把路由证书的 CA（Ingress CA 或实验室根 CA）加入信任锚点",
          "any user name and the token from oc whoami -t; with no token, oc login first; trust the route certificate's CA (the ingress CA or the lab root CA) in the trust anchors",
          "cp ${rootCa} ${trustAnchors}/; ${trustUpdate}; oc login -u ${user} ${apiUrl}; podman login -u ${user} -p $(oc whoami -t) <route host>"));

  private static final Map<String, CheckDef> BY_ID = index();

  private Catalog() {}

  public static List<CheckDef> all() {
    return CHECKS;
  }

  public static CheckDef get(String id) {
    CheckDef c = BY_ID.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no check " + id + " in the catalog");
    }
    return c;
  }

  public static Optional<CheckDef> find(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }

  /** A selector for {@code --checks S05.*,S04.2}: globs over ids, comma separated. */
  public static Predicate<String> idSelector(String globs) {
    List<Pattern> patterns = new ArrayList<>();
    for (String g : globs.split(",")) {
      String t = g.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (!t.matches("[Ss]\\d{2}(\\.[0-9*]+|\\*|\\.\\*)?")) {
        throw new IllegalArgumentException("'" + t + "' is not a check id or glob such as S05.* or S04.2");
      }
      patterns.add(Pattern.compile(t.toUpperCase().replace(".", "\\.").replace("*", ".*") + "(\\..*)?"));
    }
    return id -> patterns.stream().anyMatch(p -> p.matcher(id).matches());
  }

  private static CheckDef check(String id, Step step, boolean mandatory, Set<String> tags, List<Need> needs,
      String titleZh, String titleEn, String hintZh, String hintEn, String command) {
    return new CheckDef(id, step, titleZh, titleEn, Set.copyOf(tags), mandatory, List.copyOf(needs),
        hintZh, hintEn, command);
  }

  private static Map<String, CheckDef> index() {
    Map<String, CheckDef> m = new LinkedHashMap<>();
    for (CheckDef c : CHECKS) {
      if (m.put(c.id(), c) != null) {
        throw new IllegalStateException("duplicate check id " + c.id());
      }
      for (String p : c.prerequisites()) {
        if (!m.containsKey(p)) {
          throw new IllegalStateException(c.id() + " needs " + p + " to pass, but it does not come before it");
        }
      }
    }
    for (CheckDef c : CHECKS) {
      // an absence may be explained by a later check (S03.2's claim is S04's): the check looks itself
      for (String p : c.absenceExplainedBy()) {
        if (!m.containsKey(p)) {
          throw new IllegalStateException(c.id() + " names " + p + ", which is not in the catalog");
        }
      }
    }
    return Map.copyOf(m);
  }
}
