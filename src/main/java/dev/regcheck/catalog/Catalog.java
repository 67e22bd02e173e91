package dev.regcheck.catalog;

import static dev.regcheck.catalog.Tags.OPERATOR;
import static dev.regcheck.catalog.Tags.POD;
import static dev.regcheck.catalog.Tags.STORAGE;

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

  private static final List<CheckDef> CHECKS = List.of(
      check("S01.1", Step.S01, true, Set.of(OPERATOR), List.of(),
          "配置 ${config} 存在且 spec.managementState 为 Managed",
          "config ${config} exists and spec.managementState is Managed",
          "将管理状态切换为 Managed", "switch the management state to Managed",
          "oc patch " + CONFIG + " --type merge --patch '{\"spec\":{\"managementState\":\"Managed\"}}'"),
      check("S01.2", Step.S01, true, Set.of(OPERATOR), List.of("S01.1"),
          "Operator 已处理该配置，未卡在 StorageNotConfigured 或 VerificationFailed",
          "the operator has processed the config and is not stuck on StorageNotConfigured or VerificationFailed",
          "先（或同时）配置存储（S05），并按 Operator 的消息修正配置",
          "configure storage (S05) before or together with Managed, and fix what the operator's message names",
          "oc patch " + CONFIG + " --type merge --patch '{\"spec\":{\"storage\":{\"pvc\":{\"claim\":\"${claim}\"}}}}'"),
      check("S03.1", Step.S03, true, Set.of(STORAGE), List.of(),
          "PV ${pvName} 存在：容量 ≥ ${capacity}、ReadWriteMany、Retain、NFS ${nfsServer}:${nfsPath}",
          "PV ${pvName} exists: capacity ≥ ${capacity}, ReadWriteMany, Retain, NFS ${nfsServer}:${nfsPath}",
          "按文档创建 PV（storageClassName 为空）；已绑定的 PV 须删除后重建",
          "create the PV as the document does (storageClassName \"\"); a wrong bound PV must be deleted and re-created",
          "oc apply -f pv.yaml  # PV ${pvName}: ${capacity}, ReadWriteMany, Retain, nfs {server: ${nfsServer}, path: ${nfsPath}}, storageClassName \"\""),
      check("S03.2", Step.S03, true, Set.of(STORAGE), List.of("S03.1"),
          "PV ${pvName} 已绑定到 ${namespace}/${pvcName}",
          "PV ${pvName} is Bound to ${namespace}/${pvcName}",
          "查看 PV 的 claimRef；Retain 策略下 Released 的 PV 需先清除 claimRef 才能再绑定",
          "look at the PV's claimRef; a Released Retain PV binds again only after its claimRef is cleared",
          "oc get pv ${pvName} -o wide; oc patch pv ${pvName} --type json -p '[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]'"),
      check("S04.1", Step.S04, true, Set.of(STORAGE), List.of(),
          "PVC ${pvcName} 存在于 ${namespace}：ReadWriteMany、请求 ≤ PV 容量、存储类与 PV 一致（均为空）",
          "PVC ${pvcName} exists in ${namespace}: ReadWriteMany, request ≤ the PV's capacity, same storage class as the PV (both empty)",
          "按文档创建 PVC 并显式设置 storageClassName: \"\"；已取了默认 StorageClass 的 PVC 须删除后重建",
          "create the PVC as the document does, with storageClassName: \"\" set explicitly; a PVC that took the default StorageClass must be deleted and re-created",
          "oc delete pvc ${pvcName} -n ${namespace} --ignore-not-found; oc apply -f pvc.yaml  # ReadWriteMany, ${request}, storageClassName \"\""),
      check("S04.2", Step.S04, true, Set.of(STORAGE), List.of(),
          "PVC ${pvcName} 已绑定到卷 ${pvName}",
          "PVC ${pvcName} is Bound to volume ${pvName}",
          "查看 PVC 的事件，找出无法绑定的原因（存储类、访问模式、容量）",
          "read the PVC's events for why it does not bind (storage class, access mode, capacity)",
          "oc describe pvc ${pvcName} -n ${namespace}"),
      check("S05.1", Step.S05, true, Set.of(OPERATOR, STORAGE), List.of(),
          "spec.storage 只配置了一种存储，即 pvc.claim = ${claim}",
          "spec.storage has exactly one storage type: pvc.claim = ${claim}",
          "把存储后端设为该 PVC", "set the storage backend to the claim",
          "oc patch " + CONFIG + " --type merge --patch '{\"spec\":{\"storage\":{\"pvc\":{\"claim\":\"${claim}\"}}}}'"),
      check("S05.2", Step.S05, true, Set.of(OPERATOR, STORAGE), List.of("S01.1", "S05.1"),
          "status.storage.pvc.claim 一致，且条件 StorageExists 为 True",
          "status.storage.pvc.claim matches and condition StorageExists is True",
          "查看 Operator 写入的存储条件", "read the storage condition the operator wrote",
          "oc get " + CONFIG + " -o jsonpath='{.status.storage}{\"\\n\"}{.status.conditions[?(@.type==\"StorageExists\")]}'"),
      check("S05.3", Step.S05, true, Set.of(OPERATOR, STORAGE), List.of("S05.2", "S04.2"),
          "集群 Operator image-registry 已稳定：Available=True、Progressing=False、Degraded=False",
          "cluster operator image-registry has settled: Available=True, Progressing=False, Degraded=False",
          "等待 oc get co 稳定；若持续失败，按条件消息排查 Registry Pod",
          "wait for oc get co to settle; if it does not, follow the condition message to the registry pod",
          "oc get co image-registry; oc get pod -n ${namespace} -l ${podSelector}"),
      check("S05.4", Step.S05, false, Set.of(OPERATOR), List.of("S05.3"),
          "Operator 没有热循环：配置的 resourceVersion 在观察窗口内不变",
          "the operator is not hot-looping: the config's resourceVersion stays unchanged for a window",
          "查看 Operator 日志中反复出现的更新", "look for repeated updates in the operator's log",
          "oc logs -n openshift-image-registry deployment/cluster-image-registry-operator --tail=50"),
      check("S06.1", Step.S06, true, Set.of(POD), List.of("S05.1", "S04.2"),
          "Registry Pod（${podSelector}）全部 Running 且 Ready，数量 = readyReplicas = replicas，部署 ${deployment} 已完成",
          "registry pods (${podSelector}) are all Running and Ready, count = readyReplicas = replicas, deployment ${deployment} rolled out",
          "查看 Pod 的事件与日志", "read the pod's events and log",
          "oc get pod -n ${namespace} -l ${podSelector}; oc describe pod -n ${namespace} -l ${podSelector}"),
      check("S06.2", Step.S06, true, Set.of(POD), List.of("S05.1", "S04.2"),
          "Registry Pod 在 /registry 挂载了来自 ${claim} 的卷 registry-storage",
          "registry pods mount volume registry-storage from claim ${claim} at /registry",
          "存储配置变化后等待部署重新发布", "after a storage change, wait for the deployment to roll out again",
          "oc get deployment ${deployment} -n ${namespace} -o jsonpath='{.spec.template.spec.volumes}'"),
      check("S06.3", Step.S06, false, Set.of(POD), List.of("S05.1", "S04.2"),
          "Registry 容器没有重启（无 CrashLoop）",
          "registry containers have not restarted (no crash loop)",
          "查看上一次容器的日志", "read the previous container's log",
          "oc logs -n ${namespace} -l ${podSelector} --previous --tail=50"),
      check("S07.1", Step.S07, true, Set.of(OPERATOR), List.of("S01.1", "S05.1"),
          "spec.storage.managementState 为 Managed，且反映在 status.storage.managementState 与 status.storageManaged",
          "spec.storage.managementState is Managed, mirrored in status.storage.managementState and status.storageManaged",
          "启用存储管理（注意：之后切到 Removed 会删除 PVC）",
          "make storage Managed (note: switching to Removed afterwards deletes the PVC)",
          "oc patch " + CONFIG + " --type merge --patch '{\"spec\":{\"storage\":{\"managementState\":\"Managed\"}}}'"));

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

  private static CheckDef check(String id, Step step, boolean mandatory, Set<String> tags, List<String> prereqs,
      String titleZh, String titleEn, String hintZh, String hintEn, String command) {
    return new CheckDef(id, step, titleZh, titleEn, Set.copyOf(tags), mandatory, List.copyOf(prereqs),
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
          throw new IllegalStateException(c.id() + " names prerequisite " + p + " that does not come before it");
        }
      }
    }
    return Map.copyOf(m);
  }
}
