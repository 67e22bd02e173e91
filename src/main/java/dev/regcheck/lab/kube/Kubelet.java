package dev.regcheck.lab.kube;

import dev.regcheck.lab.process.PartRuntime;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import dev.regcheck.lab.registry.RegistryConfigFile;
import dev.regcheck.lab.registry.RegistryContainer;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.Times;
import dev.regcheck.lab.core.Controller;
import dev.regcheck.lab.core.EventRecorder;
import dev.regcheck.lab.core.PodLogs;
import dev.regcheck.lab.core.PodPorts;
import java.net.InetSocketAddress;
import java.net.URI;
import dev.regcheck.lab.core.WellKnown;

/**
 * The kubelet of every lab node, for registry pods only: mounts (the NFS volume works only when the
 * PV names the lab's export), runs the container as the real {@code docker-registry} process on
 * 127.0.0.1 with its own port, probes its readiness periodically (see {@link RegistryContainer}),
 * restarts it with back-off and serves its logs. A failed readiness probe is a Warning
 * {@code Unhealthy} event "Readiness probe failed: …", counted on repeats, as the real kubelet's.
 * With {@code healthyContainers} set, the containers started after that many hang (registry-hung:
 * none is healthy; replica-hung: the first is).
 * Differences: all nodes share 127.0.0.1; back-off is 1 s doubling to 10 s (the real kubelet
 * starts at 10 s and caps at 5 min); other pods are never started. {@code /registry} is the lab's
 * NFS export ({@code <workDir>/nfs}) when a claim is mounted there, otherwise an emptyDir of the
 * pod's own ({@code <workDir>/registry/<pod>/volumes/kubernetes.io~empty-dir/registry-storage}),
 * kept across container restarts and deleted with the pod, as the kubelet tears emptyDirs down.
 */
public final class Kubelet implements Controller, PodLogs, PodPorts, AutoCloseable {
  private static final String COMPONENT = "kubelet";
  /** The port the registry container declares and listens on in its pod. */
  static final int REGISTRY_PORT = 5000;
  /** The pod condition types the kubelet writes (PodScheduled too, always True once it runs the pod). */
  private static final Set<String> KUBELET_CONDITIONS = Set.of("PodReadyToStartContainers",
      "Initialized", "Ready", "ContainersReady", "PodScheduled");

  private final KubernetesClient client;
  private final EventRecorder events;
  private final LabSettings settings;
  private final Path workDir;
  private final boolean corruptTlsKey;
  private final RegistryConfigFile.Integration integration;
  private final int healthyContainers;
  private int containersStarted;
  /** Where the registry containers run: child processes or the engine's containers. */
  private final PartRuntime runtime;
  private final Map<String, RegistryContainer> containers = new ConcurrentHashMap<>();
  /** Readiness probes run here, off the control-plane thread (threads exist only while probing). */
  private final ExecutorService prober = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "lab-kubelet-probe");
    thread.setDaemon(true);
    return thread;
  });

  public Kubelet(KubernetesClient client, EventRecorder events, LabSettings settings, Path workDir,
      boolean corruptTlsKey, RegistryConfigFile.Integration integration, int healthyContainers, PartRuntime runtime) {
    this.client = client;
    this.runtime = runtime;
    this.healthyContainers = healthyContainers;
    this.integration = integration;
    this.events = events;
    this.settings = settings;
    this.workDir = workDir;
    this.corruptTlsKey = corruptTlsKey;
  }

  @Override
  public void reconcile() {
    List<Pod> pods = client.pods().inNamespace(settings.namespace())
        .withLabel("docker-registry", "default").list().getItems().stream()
        .filter(p -> p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty())
        .toList();
    Set<String> live = new HashSet<>();
    pods.forEach(p -> live.add(p.getMetadata().getUid()));
    for (Map.Entry<String, RegistryContainer> entry : Map.copyOf(containers).entrySet()) {
      if (!live.contains(entry.getKey())) {
        containers.remove(entry.getKey());
        tearDown(entry.getValue());
      }
    }
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        // Terminating: stop the container, then finish the deletion the API server began
        Optional.ofNullable(containers.remove(pod.getMetadata().getUid())).ifPresent(Kubelet::tearDown);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .withGracePeriod(0).delete();
        continue;
      }
      if (!DeploymentController.active(pod)) {
        continue; // terminal (an evicted pod): nothing runs, nothing is written
      }
      syncPod(pod);
    }
  }

  private void syncPod(Pod pod) {
    String host = pod.getSpec().getNodeName();
    Optional<String> mountFailure = mountFailure(pod);
    if (mountFailure.isPresent()) {
      events.warning(pod, COMPONENT, host, "FailedMount", mountFailure.get());
      writeStatus(pod, containerCreating(pod));
      return;
    }
    RegistryContainer container = containers.computeIfAbsent(pod.getMetadata().getUid(),
        uid -> newContainer(pod));
    try {
      String secret = tlsSecret(pod);
      container.tick(namespace -> tlsFiles(namespace, secret), pod.getMetadata().getNamespace());
    } catch (IOException e) {
      events.warning(pod, COMPONENT, host, "Failed", "Error: " + e.getMessage());
    }
    for (String failure : container.takeProbeFailures()) {
      events.warning(pod, COMPONENT, host, "Unhealthy", "Readiness probe failed: " + failure);
    }
    if (container.restartCount() > 0 && container.waitingForRestart()) {
      events.warning(pod, COMPONENT, host, "BackOff", "Back-off restarting failed container registry in pod "
          + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
          + pod.getMetadata().getUid() + ")");
    }
    writeStatus(pod, status(pod, container));
  }

  /** The pod's container: {@code /registry} on the NFS export for a claim, else on the pod's own emptyDir. */
  private RegistryContainer newContainer(Pod pod) {
    Path podDir = workDir.resolve("registry").resolve(pod.getMetadata().getName());
    String mounted = pod.getSpec().getContainers().get(0).getVolumeMounts() == null ? null
        : pod.getSpec().getContainers().get(0).getVolumeMounts().stream()
            .filter(m -> "/registry".equals(m.getMountPath())).map(VolumeMount::getName).findFirst()
            .orElse(null);
    boolean claim = Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of()).stream()
        .anyMatch(v -> v.getName().equals(mounted) && v.getPersistentVolumeClaim() != null);
    Path data = claim ? workDir.resolve("nfs")
        : podDir.resolve("volumes").resolve("kubernetes.io~empty-dir").resolve("registry-storage");
    boolean hangs = ++containersStarted > healthyContainers;
    return new RegistryContainer(runtime, podDir, data, prober, integration, hangs);
  }

  /** Stops the container; an emptyDir (a data directory inside the pod's) goes with the pod. */
  private static void tearDown(RegistryContainer container) {
    container.stop();
    if (!container.dataDir().startsWith(container.podDir())) {
      return;
    }
    try (Stream<Path> files = Files.walk(container.dataDir())) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // a leftover emptyDir is only disk space under workDir
    }
  }

  /** The secret the pod's projected volume mounts at {@code /etc/secrets} (the operator's: image-registry-tls). */
  private static String tlsSecret(Pod pod) {
    return Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of()).stream()
        .filter(v -> v.getProjected() != null && v.getProjected().getSources() != null)
        .flatMap(v -> v.getProjected().getSources().stream())
        .filter(source -> source.getSecret() != null && source.getSecret().getName() != null)
        .map(source -> source.getSecret().getName()).findFirst().orElse(WellKnown.REGISTRY_TLS_SECRET);
  }

  /** The TLS pair the projected {@code registry-tls} volume would contain. */
  private Optional<RegistryContainer.Tls> tlsFiles(String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null || secret.getData() == null) {
      return Optional.empty();
    }
    String crt = decode(secret.getData().get("tls.crt"));
    String key = decode(secret.getData().get("tls.key"));
    if (corruptTlsKey) {
      key = "-----BEGIN RSA PRIVATE KEY-----\nTUlJRXBBSUJBQUtDQVFFQTJ0cnVuY2F0ZWQ=\n-----END RSA PRIVATE KEY-----\n";
    }
    return Optional.of(new RegistryContainer.Tls(crt, key));
  }

  private static String decode(String base64) {
    return base64 == null ? "" : new String(Base64.getDecoder().decode(base64),
        StandardCharsets.US_ASCII);
  }

  private Optional<String> mountFailure(Pod pod) {
    for (Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
      if (volume.getProjected() != null && client.secrets().inNamespace(pod.getMetadata().getNamespace())
          .withName(tlsSecret(pod)).get() == null) {
        return Optional.of("MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : secret \""
            + tlsSecret(pod) + "\" not found");
      }
      if (volume.getPersistentVolumeClaim() == null) {
        continue;
      }
      PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(pod.getMetadata()
          .getNamespace()).withName(volume.getPersistentVolumeClaim().getClaimName()).get();
      PersistentVolume pv = claim == null || claim.getSpec().getVolumeName() == null ? null
          : client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
      if (pv == null) {
        return Optional.of("Unable to attach or mount volumes: unmounted volumes=[" + volume.getName()
            + "], unattached volumes=[]: timed out waiting for the condition");
      }
      if (pv.getSpec().getNfs() == null) {
        return Optional.of("MountVolume.SetUp failed for volume \"" + pv.getMetadata().getName()
            + "\" : the embedded lab can only mount NFS volumes from " + settings.nfsServer() + ":"
            + settings.nfsPath());
      }
      String server = pv.getSpec().getNfs().getServer();
      String path = pv.getSpec().getNfs().getPath();
      if (!settings.nfsServer().equals(server) || !settings.nfsPath().equals(path)) {
        String reason = settings.nfsServer().equals(server)
            ? "mount.nfs: access denied by server while mounting " + server + ":" + path
            : "mount.nfs: Connection timed out";
        return Optional.of("MountVolume.SetUp failed for volume \"" + pv.getMetadata().getName()
            + "\" : mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs "
            + server + ":" + path + " /var/lib/kubelet/pods/" + pod.getMetadata().getUid()
            + "/volumes/kubernetes.io~nfs/" + pv.getMetadata().getName() + "\nOutput: " + reason);
      }
    }
    return Optional.empty();
  }

  private PodStatus containerCreating(Pod pod) {
    ContainerStatus cs = new ContainerStatusBuilder().withName("registry").withImage(image(pod))
        .withImageID("").withReady(false).withStarted(false).withRestartCount(0)
        .withState(new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating")
            .endWaiting().build()).build();
    return podStatus(pod, "Pending", false, false, cs, null);
  }

  private PodStatus status(Pod pod, RegistryContainer c) {
    ContainerState state;
    if (c.running()) {
      state = new ContainerStateBuilder().withNewRunning().withStartedAt(Times.format(c.startedAt()))
          .endRunning().build();
    } else if (c.restartCount() > 0) {
      state = new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff")
          .withMessage("back-off " + c.backoff().toSeconds() + "s restarting failed container=registry pod="
              + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
              + pod.getMetadata().getUid() + ")").endWaiting().build();
    } else {
      state = new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating").endWaiting()
          .build();
    }
    ContainerStatusBuilder cs = new ContainerStatusBuilder().withName("registry").withImage(image(pod))
        .withImageID(c.everStarted() ? image(pod) : "").withReady(c.ready()).withStarted(c.running())
        .withRestartCount(c.restartCount()).withState(state);
    if (c.containerId() != null) {
      cs.withContainerID("cri-o://" + c.containerId());
    }
    c.lastTermination().ifPresent(t -> cs.withLastState(new ContainerStateBuilder().withNewTerminated()
        .withExitCode(t.exitCode()).withReason(t.reason()).withMessage(t.message())
        .withStartedAt(Times.format(t.startedAt())).withFinishedAt(Times.format(t.finishedAt()))
        .withContainerID("cri-o://" + t.containerId()).endTerminated().build()));
    return podStatus(pod, c.everStarted() ? "Running" : "Pending", c.ready(), c.everStarted(),
        cs.build(), c.everStarted() ? "127.0.0.1" : null);
  }

  private static PodStatus podStatus(Pod pod, String phase, boolean ready, boolean initialized,
      ContainerStatus container, String podIp) {
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition(pod, "PodReadyToStartContainers", initialized ? "True" : "False", null, null));
    conditions.add(condition(pod, "Initialized", "True", null, null));
    String why = ready ? null : "containers with unready status: [registry]";
    conditions.add(condition(pod, "Ready", ready ? "True" : "False", ready ? null : "ContainersNotReady", why));
    conditions.add(condition(pod, "ContainersReady", ready ? "True" : "False",
        ready ? null : "ContainersNotReady", why));
    conditions.add(condition(pod, "PodScheduled", "True", null, null));
    // as generateAPIPodStatus does: conditions of types the kubelet does not own are kept
    Optional.ofNullable(pod.getStatus()).map(PodStatus::getConditions).orElse(List.of()).stream()
        .filter(c -> !KUBELET_CONDITIONS.contains(c.getType())).forEach(conditions::add);
    PodStatusBuilder status = new PodStatusBuilder().withPhase(phase).withConditions(conditions)
        .withHostIP("127.0.0.1").addNewHostIP().withIp("127.0.0.1").endHostIP()
        .withContainerStatuses(container).withQosClass("Burstable")
        .withStartTime(Optional.ofNullable(pod.getStatus()).map(PodStatus::getStartTime)
            .orElse(Times.now()));
    if (podIp != null) {
      status.withPodIP(podIp).withPodIPs(new PodIPBuilder().withIp(podIp).build());
    }
    return status.build();
  }

  private static PodCondition condition(Pod pod, String type, String status, String reason, String message) {
    String since = PodConditions.find(pod, type).filter(c -> status.equals(c.getStatus()))
        .map(PodCondition::getLastTransitionTime).orElse(Times.now());
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message).withLastTransitionTime(since).build();
  }

  private void writeStatus(Pod pod, PodStatus status) {
    if (Serialization.asJson(status).equals(Serialization.asJson(pod.getStatus()))) {
      return;
    }
    Pod update = Serialization.clone(pod);
    update.setStatus(status);
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(update).updateStatus();
  }

  private static String image(Pod pod) {
    return pod.getSpec().getContainers().get(0).getImage();
  }

  /** The real port a running registry pod listens on (its pod IP is 127.0.0.1). */
  OptionalInt registryPort(String podUid) {
    RegistryContainer c = containers.get(podUid);
    return c == null ? OptionalInt.empty() : OptionalInt.of(c.port());
  }

  /**
   * The registry container's port, {@value #REGISTRY_PORT}, while its process runs. The lab's
   * token endpoint, a process of its own on the port its realm names (the real registry serves
   * {@code /openshift/token} on 5000 itself), counts as a port of every running registry pod.
   */
  @Override
  public Optional<InetSocketAddress> listening(String namespace, String podUid, int port) {
    RegistryContainer c = containers.get(podUid);
    if (c == null || !settings.namespace().equals(namespace) || !c.running()) {
      return Optional.empty();
    }
    if (port == REGISTRY_PORT) {
      return Optional.of(new InetSocketAddress("127.0.0.1", c.port()));
    }
    int tokenPort = URI.create(integration.realm()).getPort();
    return port == tokenPort ? Optional.of(new InetSocketAddress("127.0.0.1", tokenPort)) : Optional.empty();
  }

  /** The storage roots of the registry containers that exist now (NFS export or emptyDirs). */
  public Collection<Path> dataDirs() {
    return containers.values().stream().map(RegistryContainer::dataDir).distinct().toList();
  }

  /** PIDs of the registry processes running now. */
  public List<Long> pids() {
    return containers.values().stream().map(RegistryContainer::pid).flatMap(Optional::stream).toList();
  }

  @Override
  public Optional<List<String>> lines(String namespace, String pod, boolean previous) {
    if (!settings.namespace().equals(namespace)) {
      return Optional.empty();
    }
    return containers.values().stream().filter(c -> c.podDir().getFileName().toString().equals(pod))
        .findFirst().map(c -> previous ? c.previousLog() : c.currentLog());
  }

  @Override
  public void close() {
    prober.shutdownNow();
    containers.values().forEach(RegistryContainer::stop);
    containers.clear();
  }
}
