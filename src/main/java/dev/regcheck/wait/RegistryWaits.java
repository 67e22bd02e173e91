package dev.regcheck.wait;

import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.assertions.ClusterOperatorAssert;
import dev.regcheck.assertions.Cond;
import dev.regcheck.assertions.PodsAssert;
import dev.regcheck.assertions.RegistryAssertions;
import dev.regcheck.assertions.RegistryConfigAssert;
import dev.regcheck.assertions.Yaml;
import dev.regcheck.fixture.Events;
import dev.regcheck.fixture.PersistentVolumeClaimStep;
import dev.regcheck.fixture.RegistryPodStep;
import dev.regcheck.junit.LabSession;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.config.v1.ClusterOperator;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The waits of the registry checks, bounded by the profile's timeouts. Each knows the states that
 * waiting cannot fix and ends at once on them, with the reason.
 */
public final class RegistryWaits {

  /** Event reasons after which a claim will not bind by itself. */
  static final Set<String> CLAIM_STUCK = Set.of("FailedBinding", "ProvisioningFailed", "ExternalProvisioning",
      "WaitForFirstConsumer", "VolumeMismatch");

  private final LabSession lab;

  public RegistryWaits(LabSession lab) {
    this.lab = lab;
  }

  private <T> Wait<T> bounded(Wait<T> w) {
    return w.within(lab.profile().timeouts().settle(), lab.profile().timeouts().poll());
  }

  /** The registry config once the operator has observed its latest generation. */
  public Config configObserved() {
    String name = lab.profile().registry().config();
    return bounded(Wait.named("the operator to observe configs.imageregistry.operator.openshift.io/" + name, () ->
            lab.client().imageRegistryOperatorConfigs().withName(name).get())
        .until(RegistryConfigAssert::observed)
        .failFastWhen(c -> c == null ? Optional.of("configs.imageregistry.operator.openshift.io/" + name + " does not exist")
            : Optional.empty())
        .describedBy(c -> "generation " + c.getMetadata().getGeneration() + ", observedGeneration "
            + (c.getStatus() == null ? null : c.getStatus().getObservedGeneration()))
        .withEvidence(c -> List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(c)))))
        .await();
  }

  /** The claim once Bound; fails at once when it is Pending for a reason that waiting cannot fix. */
  public PersistentVolumeClaim claimBound() {
    PersistentVolumeClaimStep step = new PersistentVolumeClaimStep(lab);
    String ns = lab.profile().registry().namespace();
    String name = lab.profile().storage().pvcName();
    return bounded(Wait.named("PersistentVolumeClaim " + ns + "/" + name + " to be Bound", () -> step.claim().orElse(null))
        .until(c -> c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()))
        .failFastWhen(c -> c == null ? Optional.empty() : claimStuck(c))
        .describedBy(c -> c == null ? "the claim does not exist" : "phase " + (c.getStatus() == null ? null : c.getStatus().getPhase()))
        .withEvidence(c -> List.of(new CheckFailure.Evidence(Yaml.ref(c) + ".yaml", Yaml.of(c)),
            new CheckFailure.Evidence("events.txt", Events.render(events("PersistentVolumeClaim", name))))))
        .await();
  }

  /** Why a Pending claim will not bind, from its events and its class; empty while it may still bind. */
  public Optional<String> claimStuck(PersistentVolumeClaim c) {
    if (c.getStatus() == null || !"Pending".equals(c.getStatus().getPhase())) {
      return Optional.empty();
    }
    List<Event> stuck = events("PersistentVolumeClaim", c.getMetadata().getName()).stream()
        .filter(e -> CLAIM_STUCK.contains(e.getReason())).toList();
    if (stuck.isEmpty()) {
      return Optional.empty();
    }
    Event last = stuck.get(stuck.size() - 1);
    String cls = c.getSpec().getStorageClassName();
    String classNote = cls == null || cls.isEmpty() ? "no storage class"
        : "storageClassName '" + cls + "' (the static NFS PersistentVolume has none)";
    return Optional.of("PersistentVolumeClaim " + c.getMetadata().getName() + " is Pending with " + classNote + ": "
        + last.getType() + " " + last.getReason() + ": " + last.getMessage() + whyNotTheVolume(c));
  }

  /** Why the profile's PV does not match the claim, as the binder decides it (class, access modes, size). */
  String whyNotTheVolume(PersistentVolumeClaim c) {
    var pv = new dev.regcheck.fixture.PersistentVolumeStep(lab).volume().orElse(null);
    String name = lab.profile().storage().pvName();
    if (pv == null) {
      return "; PersistentVolume " + name + " does not exist";
    }
    List<String> why = new ArrayList<>();
    var ref = pv.getSpec().getClaimRef();
    String phase = pv.getStatus() == null ? null : pv.getStatus().getPhase();
    if ("Released".equals(phase)) {
      why.add("it is Released: its claimRef still names the deleted claim " + (ref == null ? "" : ref.getNamespace() + "/"
          + ref.getName() + (ref.getUid() == null ? "" : " (uid " + ref.getUid() + ")"))
          + ", and a Retain volume binds again only after spec.claimRef is cleared");
    } else if (ref != null && !(c.getMetadata().getName().equals(ref.getName())
        && c.getMetadata().getNamespace().equals(ref.getNamespace()))) {
      why.add("it is reserved for " + ref.getNamespace() + "/" + ref.getName());
    }
    String pvClass = pv.getSpec().getStorageClassName() == null ? "" : pv.getSpec().getStorageClassName();
    String claimClass = c.getSpec().getStorageClassName() == null ? "" : c.getSpec().getStorageClassName();
    if (!pvClass.equals(claimClass)) {
      why.add("its storage class '" + pvClass + "' is not the claim's '" + claimClass + "'");
    }
    List<String> offered = pv.getSpec().getAccessModes() == null ? List.of() : pv.getSpec().getAccessModes();
    List<String> wanted = c.getSpec().getAccessModes() == null ? List.of() : c.getSpec().getAccessModes();
    if (!offered.containsAll(wanted)) {
      why.add("it offers " + offered + " but the claim needs " + wanted);
    }
    var cap = pv.getSpec().getCapacity() == null ? null : pv.getSpec().getCapacity().get("storage");
    var req = c.getSpec().getResources() == null || c.getSpec().getResources().getRequests() == null
        ? null : c.getSpec().getResources().getRequests().get("storage");
    if (cap != null && req != null && io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(cap)
        .compareTo(io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(req)) < 0) {
      why.add("its capacity " + cap + " is below the request " + req);
    }
    return why.isEmpty() ? "" : "; PersistentVolume " + name + " does not match: " + String.join(", ", why);
  }

  /** The operator's storage status once observed. */
  public Config storageReported() {
    String name = lab.profile().registry().config();
    return bounded(Wait.named("the operator to report StorageExists on " + name, () ->
            lab.client().imageRegistryOperatorConfigs().withName(name).get())
        .until(c -> RegistryConfigAssert.observed(c)
            && Cond.find(RegistryAssertions.assertThat(c).conditionList(), "StorageExists").isPresent())
        // a config the operator rejects is never processed further: no storage will be reported
        .failFastWhen(c -> c == null ? java.util.Optional.empty() : RegistryAssertions.assertThat(c).permanentError()
            .filter(p -> "VerificationFailed".equals(p.reason()))
            .map(p -> "the operator rejected the config with VerificationFailed: " + p.message()))
        .describedBy(c -> c == null ? "absent" : String.valueOf(RegistryAssertions.assertThat(c).conditionList()))
        .withEvidence(c -> List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(c)))))
        .await();
  }

  /** The cluster operator once Available=True, Progressing=False, Degraded=False. */
  public ClusterOperator operatorSettled() {
    return bounded(Wait.named("clusteroperator image-registry to settle", () ->
            lab.client().config().clusterOperators().withName("image-registry").get())
        .until(co -> co != null && ClusterOperatorAssert.settled(RegistryAssertions.assertThat(co).conditionList()))
        .failFastWhen(co -> registryCannotStart())
        .describedBy(co -> co == null ? "clusteroperator image-registry absent"
            : ClusterOperatorAssert.columns(RegistryAssertions.assertThat(co).conditionList()))
        .withEvidence(co -> diagnostics(co)))
        .await();
  }

  /** The registry pods once all Running+Ready and rolled out. */
  public List<Pod> podsReady() {
    RegistryPodStep pods = new RegistryPodStep(lab);
    return bounded(Wait.named("registry pods to be Running and Ready", pods::pods)
        .until(ps -> !ps.isEmpty() && ps.stream().allMatch(p -> PodsAssert.notReadyReason(p).isEmpty())
            && rolledOut(pods.deployment().orElse(null)) && operatorCounted(ps.size()))
        .failFastWhen(ps -> registryCannotStart())
        .describedBy(ps -> ps.isEmpty() ? "no pods" : ps.stream().map(p -> p.getMetadata().getName() + " "
            + PodsAssert.notReadyReason(p).orElse("Ready")).toList().toString())
        .withEvidence(ps -> diagnostics(null)))
        .await();
  }

  /** The operator's status.readyReplicas has caught up with the pods seen (it follows one sync later). */
  private boolean operatorCounted(int ready) {
    Config c = lab.client().imageRegistryOperatorConfigs().withName(lab.profile().registry().config()).get();
    return c != null && c.getStatus() != null && c.getStatus().getReadyReplicas() != null
        && c.getStatus().getReadyReplicas() == ready;
  }

  /** Deployment rolled out: ready = updated = desired, Progressing reason NewReplicaSetAvailable. */
  public static boolean rolledOut(Deployment d) {
    if (d == null || d.getStatus() == null) {
      return false;
    }
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var s = d.getStatus();
    boolean progressed = s.getConditions() != null && s.getConditions().stream().anyMatch(c ->
        "Progressing".equals(c.getType()) && "True".equals(c.getStatus()) && "NewReplicaSetAvailable".equals(c.getReason()));
    return progressed && n(s.getReadyReplicas()) == want && n(s.getUpdatedReplicas()) == want
        && n(s.getAvailableReplicas()) == want;
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  /**
   * A state the registry will not leave by waiting: a permanent operator error, a crash loop,
   * a volume that cannot mount, a pod that cannot be scheduled.
   */
  public Optional<String> registryCannotStart() {
    Config config = lab.client().imageRegistryOperatorConfigs().withName(lab.profile().registry().config()).get();
    if (config != null) {
      Optional<Cond> permanent = RegistryAssertions.assertThat(config).permanentError();
      if (permanent.isPresent()) {
        return Optional.of("the operator reports " + permanent.get().reason() + ": " + permanent.get().message());
      }
    }
    RegistryPodStep step = new RegistryPodStep(lab);
    for (Pod p : step.pods()) {
      String name = p.getMetadata().getName();
      // one restart can be a start-up race (a secret not minted yet); two in back-off is a loop
      if (PodsAssert.crashLooping(p) && PodsAssert.restarts(p) >= 2) {
        return Optional.of("registry pod " + name + " is crash-looping: " + PodsAssert.notReadyReason(p).orElse("")
            + "; last log line: " + lastLine(step.logTail(p, 5)));
      }
      if ("Running".equals(p.getStatus() == null ? null : p.getStatus().getPhase())) {
        continue;
      }
      // The scheduler and the kubelet retry; what makes their failures final is a cause that
      // will not go away: a claim stuck Pending, or a volume whose mount keeps failing.
      boolean unscheduled = p.getStatus() != null && p.getStatus().getConditions() != null
          && p.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
      if (unscheduled) {
        Optional<String> stuck = new PersistentVolumeClaimStep(lab).claim().flatMap(this::claimStuck);
        if (stuck.isPresent()) {
          return Optional.of("registry pod " + name + " cannot be scheduled: " + stuck.get());
        }
        continue;
      }
      for (Event e : step.eventsFor("Pod", name)) {
        // a secret or configmap volume not there yet clears by itself; an NFS mount that fails does not
        if ("FailedMount".equals(e.getReason()) && e.getMessage() != null
            && (e.getMessage().contains("mount.nfs") || e.getMessage().contains("exit status 32"))) {
          return Optional.of("registry pod " + name + " cannot start: " + e.getReason() + ": " + e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /** Read-only diagnostics for a failing registry: config, cluster operator, deployment, pods, events, log tail. */
  public List<CheckFailure.Evidence> diagnostics(ClusterOperator co) {
    List<CheckFailure.Evidence> out = new ArrayList<>();
    RegistryPodStep step = new RegistryPodStep(lab);
    out.add(new CheckFailure.Evidence("config.yaml",
        Yaml.of(lab.client().imageRegistryOperatorConfigs().withName(lab.profile().registry().config()).get())));
    if (co != null) {
      out.add(new CheckFailure.Evidence("clusteroperator.yaml", Yaml.of(co)));
    }
    step.deployment().ifPresent(d -> out.add(new CheckFailure.Evidence("deployment.yaml", Yaml.of(d))));
    for (Pod p : step.pods()) {
      out.add(new CheckFailure.Evidence(p.getMetadata().getName() + ".yaml", Yaml.of(p)));
      out.add(new CheckFailure.Evidence(p.getMetadata().getName() + "-events.txt",
          Events.render(step.eventsFor("Pod", p.getMetadata().getName()))));
      out.add(new CheckFailure.Evidence(p.getMetadata().getName() + "-log.txt", step.logTail(p, 20)));
    }
    return out;
  }

  private List<Event> events(String kind, String name) {
    return Events.about(lab, lab.profile().registry().namespace(), kind, name);
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }
}
