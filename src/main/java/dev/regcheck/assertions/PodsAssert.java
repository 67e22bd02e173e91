package dev.regcheck.assertions;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Assertions on the registry's pods (S06). */
public final class PodsAssert extends DomainAssert<PodsAssert, List<Pod>> {

  PodsAssert(List<Pod> pods) {
    super(pods, PodsAssert.class);
  }

  public PodsAssert isNotEmpty(String selector, String namespace) {
    check(!actual.isEmpty(), "no pods labelled " + selector + " in " + namespace);
    return this;
  }

  /** Running and Ready: names every pod that is not, and why. */
  public PodsAssert areRunningAndReady() {
    List<String> d = new ArrayList<>();
    for (Pod p : actual) {
      notReadyReason(p).ifPresent(r -> d.add(p.getMetadata().getName() + " " + r));
    }
    noDeviations("registry pods are not all Running and Ready", d);
    return this;
  }

  public PodsAssert hasCount(int expected, String what) {
    check(actual.size() == expected, actual.size() + " registry pods, but " + what + " is " + expected);
    return this;
  }

  /** Each pod has volume {@code volume} from claim {@code claim} mounted at {@code path}. */
  public PodsAssert mountClaim(String volume, String claim, String path) {
    List<String> d = new ArrayList<>();
    for (Pod p : actual) {
      Optional<Volume> v = p.getSpec().getVolumes().stream().filter(x -> volume.equals(x.getName())).findFirst();
      if (v.isEmpty()) {
        d.add(p.getMetadata().getName() + " has no volume " + volume + storageInstead(p));
        continue;
      }
      String from = v.get().getPersistentVolumeClaim() == null ? null : v.get().getPersistentVolumeClaim().getClaimName();
      if (!claim.equals(from)) {
        d.add(p.getMetadata().getName() + " volume " + volume + " comes from "
            + (from == null ? "no claim" : "claim " + from) + ", expected " + claim);
      }
      boolean mounted = p.getSpec().getContainers().stream()
          .flatMap(c -> c.getVolumeMounts() == null ? Stream.<VolumeMount>empty() : c.getVolumeMounts().stream())
          .anyMatch(m -> volume.equals(m.getName()) && path.equals(m.getMountPath()));
      if (!mounted) {
        d.add(p.getMetadata().getName() + " does not mount " + volume + " at " + path);
      }
    }
    noDeviations("registry storage is not mounted as configured", d);
    return this;
  }

  /** What the registry stores on instead, as its container's REGISTRY_STORAGE says (gcs, s3, swift, azure…). */
  private static String storageInstead(Pod p) {
    return p.getSpec().getContainers().stream().flatMap(c -> c.getEnv() == null ? Stream.empty() : c.getEnv().stream())
        .filter(e -> "REGISTRY_STORAGE".equals(e.getName()) && e.getValue() != null && !e.getValue().isBlank())
        .findFirst().map(e -> " (it stores on " + e.getValue() + ": REGISTRY_STORAGE=" + e.getValue() + ")").orElse("");
  }

  /** No container restarted. */
  public PodsAssert haveNoRestarts() {
    List<String> d = new ArrayList<>();
    for (Pod p : actual) {
      for (ContainerStatus cs : statuses(p)) {
        if (cs.getRestartCount() != null && cs.getRestartCount() > 0) {
          String why = cs.getState() != null && cs.getState().getWaiting() != null
              ? " (" + cs.getState().getWaiting().getReason() + ")" : "";
          d.add(p.getMetadata().getName() + "/" + cs.getName() + " restarted " + cs.getRestartCount() + " times" + why);
        }
      }
    }
    noDeviations("registry containers restarted", d);
    return this;
  }

  /** Why a pod is not Running+Ready, in kubectl's words; empty when it is. */
  public static Optional<String> notReadyReason(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    for (ContainerStatus cs : statuses(p)) {
      if (cs.getState() != null && cs.getState().getWaiting() != null) {
        var w = cs.getState().getWaiting();
        return Optional.of("is " + phase + ", container " + cs.getName() + " waiting: " + w.getReason()
            + (w.getMessage() == null ? "" : " (" + w.getMessage() + ")"));
      }
    }
    if (!"Running".equals(phase)) {
      Optional<PodCondition> sched = condition(p, "PodScheduled").filter(c -> "False".equals(c.getStatus()));
      return Optional.of("is " + phase + sched.map(c -> ": " + c.getReason() + " " + c.getMessage()).orElse(""));
    }
    if (!condition(p, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false)) {
      return Optional.of("is Running but not Ready");
    }
    return Optional.empty();
  }

  /** Restarts of the pod's containers, summed. */
  public static int restarts(Pod p) {
    return statuses(p).stream().mapToInt(cs -> cs.getRestartCount() == null ? 0 : cs.getRestartCount()).sum();
  }

  /** A crash loop: some container waits in CrashLoopBackOff. */
  public static boolean crashLooping(Pod p) {
    return statuses(p).stream().anyMatch(cs -> cs.getState() != null && cs.getState().getWaiting() != null
        && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason()));
  }

  static List<ContainerStatus> statuses(Pod p) {
    return p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        ? List.of() : p.getStatus().getContainerStatuses();
  }

  static Optional<PodCondition> condition(Pod p, String type) {
    return p.getStatus() == null || p.getStatus().getConditions() == null ? Optional.empty()
        : p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
