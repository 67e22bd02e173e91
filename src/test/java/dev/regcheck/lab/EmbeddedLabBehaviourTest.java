package dev.regcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.openshift.api.model.config.v1.ClusterOperator;
import io.fabric8.openshift.api.model.config.v1.ClusterOperatorStatusCondition;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import io.fabric8.openshift.api.model.operator.v1.OperatorCondition;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import dev.regcheck.lab.kube.DeploymentController;
import dev.regcheck.lab.registry.RegistryContainer;
import dev.regcheck.lab.apiserver.Identities;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.faults.FaultSeed;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;
import org.junit.jupiter.api.BeforeEach;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** Starts the lab the way the harness does and checks what the conformance checks will see. */
@EmbeddedLabTest(classLab = false)
class EmbeddedLabBehaviourTest {
  static final String NS = "openshift-image-registry";
  static final String SVC_HOST = "image-registry.openshift-image-registry.svc";
  static final Duration SETTLE = Duration.ofSeconds(20);

  private TestLabs labs;
  private EmbeddedLab lab;
  private OpenShiftClient client;

  @BeforeEach
  void labs(TestLabs labs) {
    this.labs = labs;
  }

  private OpenShiftClient start(Fault... faults) throws Exception {
    lab = labs.start(faults);
    client = LabDriver.userClient(lab);
    return client;
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  @DisplayName("a fresh lab is the bare-metal bootstrap: Removed, CO Available/Removed, kubeconfig 0600")
  void freshLabIsRemoved() throws Exception {
    start(Fault.REMOVED);
    Config config = config();
    assertThat(config.getSpec().getManagementState()).isEqualTo("Removed");
    assertThat(config.getSpec().getReplicas()).isEqualTo(1);
    assertThat(config.getSpec().getRolloutStrategy()).isEqualTo("RollingUpdate");
    assertThat(config.getStatus().getObservedGeneration()).isEqualTo(config.getMetadata().getGeneration());
    assertThat(condition(config, "Available")).extracting("status", "reason").containsExactly("True", "Removed");
    assertThat(condition(config, "Progressing")).extracting("status", "reason").containsExactly("False", "Removed");
    assertThat(condition(config, "Degraded")).extracting("status", "reason").containsExactly("False", "Removed");
    assertThat(condition(config, "Removed").getStatus()).isEqualTo("True");
    assertThat(coCondition("Available")).extracting("status", "reason").containsExactly("True", "Removed");
    var imageStatus = client.config().images().withName("cluster").get().getStatus();
    assertThat(imageStatus == null ? null : imageStatus.getInternalRegistryHostname()).isNull();
    assertThat(client.nodes().list().getItems()).hasSize(LabDriver.SETTINGS.nodes().size());
    assertThat(Files.getPosixFilePermissions(lab.kubeconfig()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(lab.mutatingRequestsBy(lab.userActor())).isZero();
    assertThat(lab.requests()).anyMatch(r -> r.actor().equals("lixiaohui"))
        .noneMatch(r -> r.path().contains("sha256~"));
  }

  @Test
  @DisplayName("healthy: all steps applied gives a Ready registry served by the real docker-registry; a deleted pod terminates, then goes")
  void healthy() throws Exception {
    start();
    LabDriver.applySteps(lab, client, Set.of());
    eventually().untilAsserted(() -> {
      Config config = config();
      assertThat(condition(config, "Available")).extracting("status", "reason").containsExactly("True", "Ready");
      assertThat(condition(config, "Progressing")).extracting("status", "reason").containsExactly("False", "Ready");
      assertThat(condition(config, "StorageExists").getStatus()).isEqualTo("True");
      assertThat(coCondition("Available").getStatus()).isEqualTo("True");
      assertThat(coCondition("Progressing").getStatus()).isEqualTo("False");
      assertThat(coCondition("Degraded")).extracting("status", "reason").containsExactly("False", "AsExpected");
    });
    Config config = config();
    assertThat(config.getStatus().getStorage().getPvc().getClaim()).isEqualTo("internal-registry-pvc");
    assertThat(config.getStatus().getStorageManaged()).isTrue();
    assertThat(config.getStatus().getStorage().getManagementState()).isEqualTo("Managed");
    assertThat(config.getStatus().getObservedGeneration()).isEqualTo(config.getMetadata().getGeneration());
    assertThat(client.persistentVolumes().withName("internal-registry").get().getStatus().getPhase())
        .isEqualTo("Bound");
    assertThat(pvc().getStatus().getPhase()).isEqualTo("Bound");
    assertThat(client.config().images().withName("cluster").get().getStatus()
        .getInternalRegistryHostname()).isEqualTo("image-registry.openshift-image-registry.svc:5000");
    List<Pod> pods = registryPods();
    assertThat(pods).hasSize(1);
    assertThat(pods.get(0).getStatus().getPhase()).isEqualTo("Running");
    assertThat(pods.get(0).getSpec().getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
        && v.getPersistentVolumeClaim().getClaimName().equals("internal-registry-pvc"));
    assertThat(client.apps().deployments().inNamespace(NS).withName("image-registry").get()
        .getStatus().getReadyReplicas()).isEqualTo(1);

    int port = registryPort();
    assertThat(getV2(port)).startsWith("HTTP/1.1 401") /* served, TLS verified; token auth asks for credentials */;

    String rv = config.getMetadata().getResourceVersion();
    long t0 = System.nanoTime();
    await("no hot loop").pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
        .untilAsserted(() -> assertThat(config().getMetadata().getResourceVersion()).isEqualTo(rv));
    assertThat(System.nanoTime() - t0).isGreaterThan(Duration.ofSeconds(3).toNanos());

    // a deleted pod is only marked (Terminating) by the API; its kubelet stops the registry and then
    // deletes it for good; the ReplicaSet replaces it meanwhile
    String first = pods.get(0).getMetadata().getName();
    long firstPid = lab.registryPids().get(0);
    client.pods().inNamespace(NS).withName(first).delete();
    eventually().untilAsserted(() -> {
      assertThat(registryPods()).extracting(p -> p.getMetadata().getName()).doesNotContain(first).hasSize(1);
      assertThat(DeploymentController.ready(registryPods().get(0))).isTrue();
    });
    assertThat(lab.requests()).filteredOn(r -> r.method().equals("DELETE") && r.path().contains("/pods/" + first))
        .extracting(r -> r.actor()).containsExactly(lab.userActor(), Identities.CONTROL_PLANE_ACTOR);
    assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

    List<Long> pids = lab.registryPids();
    assertThat(pids).hasSize(1);
    // another thread (the lab's own shutdown hook, say) is closing: close() waits for it to finish,
    // so whoever deletes the work folder next never deletes files under a running registry
    Thread other = new Thread(lab::close, "other-closer");
    other.start();
    while (!lab.closing()) {
      Thread.onSpinWait();
    }
    lab.close();
    assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)
        .orElse(false)).isFalse());
    assertThat(portOpen(port)).isFalse();
    other.join(10_000);
    assertThat(other.isAlive()).isFalse();
    lab.close(); // idempotent
  }

  @Test
  @DisplayName("a hung registry (process alive, not answering) turns not Ready after 3 failed probes, and Ready again")
  void hungRegistryTurnsNotReady() throws Exception {
    start();
    LabDriver.applySteps(lab, client, Set.of());
    eventually().untilAsserted(() -> assertThat(DeploymentController.ready(registryPods().get(0))).isTrue());
    long pid = lab.registryPids().get(0);
    signal("STOP", pid);
    try {
      long t0 = System.nanoTime();
      eventually().untilAsserted(() -> {
        Pod pod = registryPods().get(0);
        assertThat(podCondition(pod, "Ready")).extracting("status", "reason")
            .containsExactly("False", "ContainersNotReady");
        var status = pod.getStatus().getContainerStatuses().get(0);
        assertThat(status.getReady()).isFalse();
        assertThat(status.getState().getRunning()).as("the process still runs").isNotNull();
        assertThat(status.getRestartCount()).isZero();
        Endpoints endpoints = client.endpoints().inNamespace(NS).withName("image-registry").get();
        assertThat(endpoints.getSubsets().get(0).getAddresses()).isNullOrEmpty();
        assertThat(endpoints.getSubsets().get(0).getNotReadyAddresses()).hasSize(1);
      });
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.printf("hung registry not Ready after %d ms%n", took.toMillis());
      assertThat(took).as("one failed probe is not enough").isGreaterThan(Duration.ofMillis(
          (RegistryContainer.FAILURE_THRESHOLD - 1) * RegistryContainer.PROBE_PERIOD_MILLIS));
      assertThat(lab.registryPids()).containsExactly(pid);
    } finally {
      signal("CONT", pid);
    }
    eventually().untilAsserted(() -> {
      assertThat(DeploymentController.ready(registryPods().get(0))).isTrue();
      assertThat(condition(config(), "Available")).extracting("status", "reason").containsExactly("True", "Ready");
    });
    assertThat(lab.registryPids()).containsExactly(pid);
  }

  @Test
  @DisplayName("VerificationFailed (replicas -1): Available and Degraded carry the reason, Progressing=False/Error")
  void verificationFailed() throws Exception {
    start();
    LabDriver.patchConfig(client, "{\"spec\":{\"managementState\":\"Managed\",\"replicas\":-1}}");
    String error = "unable to complete resource: replicas must be greater than or equal to 0";
    eventually().untilAsserted(() -> {
      Config config = config();
      assertThat(config.getStatus().getObservedGeneration()).isEqualTo(config.getMetadata().getGeneration());
      assertThat(condition(config, "Available")).extracting("status", "reason", "message")
          .containsExactly("False", "VerificationFailed", "Error: " + error);
      assertThat(condition(config, "Progressing")).extracting("status", "reason", "message")
          .containsExactly("False", "Error", "Unable to apply resources: " + error);
      assertThat(condition(config, "Degraded")).extracting("status", "reason", "message")
          .containsExactly("True", "VerificationFailed", "Error: " + error);
      assertThat(coCondition("Degraded")).extracting("status", "reason")
          .containsExactly("True", "VerificationFailed");
    });
    assertThat(client.apps().deployments().inNamespace(NS).withName("image-registry").get()).isNull();
  }

  @Test
  @DisplayName("Managed without storage: StorageNotConfigured on Available, Progressing and Degraded")
  void storageNotConfigured() throws Exception {
    start(Fault.STORAGE_NOT_CONFIGURED);
    LabDriver.applySteps(lab, client, Fault.STORAGE_NOT_CONFIGURED.skippedSteps());
    eventually().untilAsserted(() -> {
      Config config = config();
      assertThat(condition(config, "Available")).extracting("status", "reason")
          .containsExactly("False", "StorageNotConfigured");
      assertThat(condition(config, "Progressing")).extracting("status", "reason", "message")
          .containsExactly("False", "StorageNotConfigured",
              "Unable to apply resources: storage backend not configured");
      assertThat(condition(config, "Degraded")).extracting("status", "reason", "message")
          .containsExactly("True", "StorageNotConfigured", "Error: storage backend not configured");
      assertThat(coCondition("Degraded")).extracting("status", "reason")
          .containsExactly("True", "StorageNotConfigured");
    });
    assertThat(client.apps().deployments().inNamespace(NS).withName("image-registry").get()).isNull();
  }

  @Test
  @DisplayName("claim missing: StorageExists False, Progressing=True/Error, Available=False/DeploymentNotFound")
  void claimMissing() throws Exception {
    start(Fault.CLAIM_MISSING);
    LabDriver.applySteps(lab, client, Fault.CLAIM_MISSING.skippedSteps());
    eventually().untilAsserted(() -> {
      Config config = config();
      assertThat(condition(config, "StorageExists").getStatus()).isEqualTo("False");
      assertThat(condition(config, "Progressing")).extracting("status", "reason", "message")
          .containsExactly("True", "Error", "Unable to apply resources: unable to sync storage "
              + "configuration: persistentvolumeclaims \"internal-registry-pvc\" not found");
      assertThat(condition(config, "Available")).extracting("status", "reason")
          .containsExactly("False", "DeploymentNotFound");
    });
  }

  @Test
  @DisplayName("PVC with the default class stays Pending; the pod is Unschedulable; NoReplicasAvailable")
  void pvcTakesDefaultClass() throws Exception {
    start(Fault.PVC_DEFAULT_CLASS);
    LabDriver.applySteps(lab, client, Fault.PVC_DEFAULT_CLASS.skippedSteps());
    eventually().untilAsserted(() -> {
      assertThat(pvc().getSpec().getStorageClassName()).isEqualTo("lab-nfs");
      assertThat(pvc().getStatus().getPhase()).isEqualTo("Pending");
      assertThat(eventsFor("internal-registry-pvc")).anyMatch(e -> e.getMessage().contains("\"lab-nfs\""));
      Pod pod = registryPods().get(0);
      PodCondition scheduled = podCondition(pod, "PodScheduled");
      assertThat(scheduled).extracting("status", "reason").containsExactly("False", "Unschedulable");
      int nodes = LabDriver.SETTINGS.nodes().size();
      assertThat(scheduled.getMessage()).startsWith("0/" + nodes
          + " nodes are available: pod has unbound immediate PersistentVolumeClaims.");
      assertThat(eventsFor(pod.getMetadata().getName())).anyMatch(e -> e.getReason().equals("FailedScheduling"));
      Config config = config();
      assertThat(condition(config, "Available")).extracting("status", "reason")
          .containsExactly("False", "NoReplicasAvailable");
      assertThat(condition(config, "Progressing")).extracting("status", "reason")
          .containsExactly("True", "DeploymentNotCompleted");
    });
    assertThat(client.persistentVolumes().withName("internal-registry").get().getStatus().getPhase())
        .isEqualTo("Available");
  }

  @Test
  @DisplayName("a claim naming its volume binds that volume only: Bound when it fits, else Pending with "
      + "VolumeMismatch, or FailedBinding when the volume is another claim's")
  void claimPreBoundByVolumeName() throws Exception {
    start(Fault.CLAIM_BOUND_ELSEWHERE);
    eventually().untilAsserted(() -> {
      assertThat(pvc().getStatus().getPhase()).isEqualTo("Bound");
      assertThat(pvc().getSpec().getVolumeName()).isEqualTo(FaultSeed.OLD_VOLUME);
    });
    // another claim naming the volume the first one holds
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("second").endMetadata().withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("")
        .withVolumeName(FaultSeed.OLD_VOLUME).withNewResources().addToRequests("storage", new Quantity("1Gi"))
        .endResources().endSpec().build()).create();
    // and one naming a free volume it does not fit (it asks for more than the volume holds)
    client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("small").endMetadata()
        .withNewSpec().addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteMany")
        .withStorageClassName("").withNewNfs().withServer(LabDriver.profileOf(lab).nfs().server()).withPath("/nfs").endNfs().endSpec().build())
        .create();
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("too-big").endMetadata().withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("")
        .withVolumeName("small").withNewResources().addToRequests("storage", new Quantity("5Gi"))
        .endResources().endSpec().build()).create();
    eventually().untilAsserted(() -> {
      assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("second").get().getStatus().getPhase())
          .isEqualTo("Pending");
      assertThat(eventsFor("second")).anyMatch(e -> e.getReason().equals("FailedBinding")
          && e.getMessage().equals("volume \"registry-old\" already bound to a different claim."));
      assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("too-big").get().getStatus().getPhase())
          .isEqualTo("Pending");
      assertThat(eventsFor("too-big")).anyMatch(e -> e.getReason().equals("VolumeMismatch"));
      assertThat(client.persistentVolumes().withName("small").get().getStatus().getPhase()).isEqualTo("Available");
    });
  }

  @Test
  @DisplayName("PV with ReadWriteOnce never binds the RWX claim: FailedBinding at once")
  void pvReadWriteOnce() throws Exception {
    start(Fault.PV_RWO);
    LabDriver.applySteps(lab, client, Fault.PV_RWO.skippedSteps());
    eventually().untilAsserted(() -> {
      assertThat(pvc().getStatus().getPhase()).isEqualTo("Pending");
      assertThat(eventsFor("internal-registry-pvc")).anyMatch(e -> e.getReason().equals("FailedBinding"));
    });
  }

  @Test
  @DisplayName("PV on the wrong NFS server binds, but the pod fails to mount it")
  void pvWrongServer() throws Exception {
    start(Fault.PV_WRONG_SERVER);
    LabDriver.applySteps(lab, client, Fault.PV_WRONG_SERVER.skippedSteps());
    eventually().untilAsserted(() -> {
      assertThat(pvc().getStatus().getPhase()).isEqualTo("Bound");
      Pod pod = registryPods().get(0);
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
          .isEqualTo("ContainerCreating");
      assertThat(eventsFor(pod.getMetadata().getName())).anyMatch(e -> e.getReason().equals("FailedMount")
          && e.getMessage().contains(FaultSeed.wrongServer(LabDriver.profileOf(lab).nfs().server()) + ":"
              + LabDriver.SETTINGS.nfsPath()) && e.getType().equals("Warning"));
    });
    assertThat(lab.registryPids()).isEmpty();
  }

  @Test
  @DisplayName("damaged TLS secret: the real registry exits at start and crash-loops; logs show its error")
  void crashLoop() throws Exception {
    start(Fault.REGISTRY_CRASHLOOP);
    LabDriver.applySteps(lab, client, Fault.REGISTRY_CRASHLOOP.skippedSteps());
    eventually().untilAsserted(() -> {
      Pod pod = registryPods().get(0);
      var status = pod.getStatus().getContainerStatuses().get(0);
      assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(1);
      assertThat(status.getReady()).isFalse();
      assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
      if (status.getState().getWaiting() != null) {
        assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
      }
      String log = client.pods().inNamespace(NS).withName(pod.getMetadata().getName())
          .tailingLines(20).getLog();
      assertThat(log).containsIgnoringCase("key");
    });
    eventually().untilAsserted(() -> {
      Pod pod = registryPods().get(0);
      assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isGreaterThanOrEqualTo(2);
      String previous = client.pods().inNamespace(NS).withName(pod.getMetadata().getName())
          .terminated().tailingLines(1).getLog().strip();
      assertThat(previous).contains("level=fatal");
      System.out.println("crash-loop previous log: " + previous);
    });
    Config config = config();
    assertThat(condition(config, "Available").getReason()).isEqualTo("NoReplicasAvailable");
  }

  @Test
  @DisplayName("the API serves api.<domain> from the lab CA; without a token it answers as system:anonymous (403); a bad token is 401")
  void unauthenticated() throws Exception {
    start();
    var http = HttpClient.newBuilder().sslContext(trusting(
        Files.readString(Path.of(lab.kubeconfig().toString())))).build();
    var response = http.send(HttpRequest.newBuilder(
        URI.create(lab.apiUrl() + "/api/v1/namespaces")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("\"kind\":\"Status\"").contains("User \\\"system:anonymous\\\" cannot list");
    var served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    assertThat(served.getIssuerX500Principal().getName()).as("signed by the lab's API CA, as the installer's is")
        .isEqualTo("CN=kube-apiserver-lb-signer");
    assertThat(served.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
        .contains((Object) LabDriver.SETTINGS.apiHost(), "127.0.0.1").doesNotContain("localhost");
    assertThat(lab.requests()).anyMatch(r -> r.actor().equals("system:anonymous") && r.status() == 403);
    var badToken = http.send(HttpRequest.newBuilder(URI.create(lab.apiUrl() + "/api/v1/namespaces"))
        .header("Authorization", "Bearer sha256~unknown").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(badToken.statusCode()).isEqualTo(401);
    LabDriver.patchConfig(client, "{\"spec\":{\"managementState\":\"Managed\"}}");
    assertThat(lab.mutatingRequestsBy("lixiaohui")).isEqualTo(1);
  }

  @Test
  @DisplayName("Released PV keeps its old claimRef and never binds the new claim; without the uid it is pre-bound and binds")
  void pvReleased() throws Exception {
    start(Fault.PV_RELEASED);
    assertThat(pv().getStatus().getPhase()).isEqualTo("Released");
    assertThat(config().getSpec().getStorage().getManagementState()).isEqualTo("Managed");
    LabDriver.applySteps(lab, client, Fault.PV_RELEASED.skippedSteps());
    eventually().untilAsserted(() -> {
      assertThat(pvc().getStatus().getPhase()).isEqualTo("Pending");
      assertThat(eventsFor("internal-registry-pvc")).anyMatch(e -> e.getReason().equals("FailedBinding")
          && e.getMessage().equals("no persistent volumes available for this claim and no storage class is set"));
      Config config = config();
      assertThat(condition(config, "StorageExists")).extracting("status", "reason").containsExactly("True", "PVC Exists");
      assertThat(condition(config, "Available")).extracting("status", "reason")
          .containsExactly("False", "NoReplicasAvailable");
    });
    await("the Released volume stays Released").pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> {
          assertThat(pv().getStatus().getPhase()).isEqualTo("Released");
          assertThat(pv().getSpec().getClaimRef().getUid()).isEqualTo(FaultSeed.DELETED_CLAIM_UID);
          assertThat(pvc().getSpec().getVolumeName()).isNull();
        });

    client.persistentVolumes().withName("internal-registry").edit(v -> {
      v.getSpec().getClaimRef().setUid(null);
      return v;
    });
    eventually().untilAsserted(() -> {
      assertThat(pvc().getStatus().getPhase()).isEqualTo("Bound");
      assertThat(pv().getStatus().getPhase()).isEqualTo("Bound");
      assertThat(pv().getSpec().getClaimRef().getUid()).isEqualTo(pvc().getMetadata().getUid());
    });
  }

  @Test
  @DisplayName("Released PV: clearing spec.claimRef (the documented clean-up) makes it Available and the claim binds")
  void releasedVolumeBindsOnceClaimRefIsCleared() throws Exception {
    start(Fault.PV_RELEASED);
    LabDriver.applySteps(lab, client, Fault.PV_RELEASED.skippedSteps());
    eventually().untilAsserted(() -> assertThat(eventsFor("internal-registry-pvc"))
        .anyMatch(e -> e.getReason().equals("FailedBinding")));
    client.persistentVolumes().withName("internal-registry").edit(v -> {
      v.getSpec().setClaimRef(null);
      return v;
    });
    eventually().untilAsserted(() -> {
      assertThat(pvc().getStatus().getPhase()).isEqualTo("Bound");
      assertThat(pv().getSpec().getClaimRef().getUid()).isEqualTo(pvc().getMetadata().getUid());
    });
  }

  @Test
  @DisplayName("S07 skipped: storage management defaults to Unmanaged for the named claim; the registry still runs")
  void storageUnmanaged() throws Exception {
    start(Fault.STORAGE_UNMANAGED);
    LabDriver.applySteps(lab, client, Fault.STORAGE_UNMANAGED.skippedSteps());
    eventually().untilAsserted(() -> {
      Config config = config();
      assertThat(condition(config, "Available")).extracting("status", "reason").containsExactly("True", "Ready");
      assertThat(condition(config, "Progressing")).extracting("status", "reason").containsExactly("False", "Ready");
      assertThat(condition(config, "StorageExists").getStatus()).isEqualTo("True");
      assertThat(coCondition("Degraded")).extracting("status", "reason").containsExactly("False", "AsExpected");
    });
    Config config = config();
    assertThat(config.getSpec().getStorage().getManagementState()).isEqualTo("Unmanaged");
    assertThat(config.getStatus().getStorage().getManagementState()).isEqualTo("Unmanaged");
    assertThat(config.getStatus().getStorageManaged()).isFalse();
    assertThat(config.getStatus().getStorage().getPvc().getClaim()).isEqualTo("internal-registry-pvc");
    assertThat(registryPods().get(0).getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  @DisplayName("hot loop: the operator rewrites the config's status about once a second, nothing else changes")
  void operatorHotLoop() throws Exception {
    start(Fault.OPERATOR_HOTLOOP);
    LabDriver.applySteps(lab, client, Fault.OPERATOR_HOTLOOP.skippedSteps());
    eventually().untilAsserted(() -> {
      Config config = config();
      assertThat(condition(config, "Available")).extracting("status", "reason").containsExactly("True", "Ready");
      assertThat(condition(config, "Progressing")).extracting("status", "reason").containsExactly("False", "Ready");
      assertThat(coCondition("Available").getStatus()).isEqualTo("True");
    });
    Config before = config();
    String coSince = coCondition("Available").getLastTransitionTime();
    Instant t0 = Instant.now();
    await("config rewritten").pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
      Config now = config();
      assertThat(now.getMetadata().getResourceVersion()).isNotEqualTo(before.getMetadata().getResourceVersion());
      assertThat(condition(now, "Available").getLastTransitionTime())
          .isNotEqualTo(condition(before, "Available").getLastTransitionTime());
      assertThat(now.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
      assertThat(now.getSpec()).isEqualTo(before.getSpec());
      double seconds = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
      long writes = configWritesSince(t0);
      assertThat(writes).as("writes in %.1f s", seconds).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo((long) (5 * seconds));
    });
    assertThat(coCondition("Available").getLastTransitionTime()).isEqualTo(coSince);
  }

  @Test
  @DisplayName("Unmanaged + emptyDir: the seeded registry runs on an emptyDir; the operator reports Unmanaged and leaves it")
  void unmanagedEmptyDir() throws Exception {
    start(Fault.UNMANAGED_EMPTYDIR);
    Pod pod = registryPods().get(0);
    assertThat(DeploymentController.ready(pod)).as("rolled out before start returns").isTrue();
    assertThat(pod.getSpec().getVolumes()).anyMatch(v -> v.getName().equals("registry-storage")
        && v.getEmptyDir() != null && v.getPersistentVolumeClaim() == null);
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .anyMatch(m -> m.getName().equals("registry-storage") && m.getMountPath().equals("/registry"));
    Path podDir = lab.kubeconfig().getParent().resolve("registry").resolve(pod.getMetadata().getName());
    Path emptyDir = podDir.resolve("volumes/kubernetes.io~empty-dir/registry-storage");
    assertThat(Files.readString(podDir.resolve("config.yml"))).contains("rootdirectory: " + emptyDir.toAbsolutePath());
    assertThat(getV2(registryPort())).startsWith("HTTP/1.1 401") /* served, TLS verified; token auth asks for credentials */;

    LabDriver.applySteps(lab, client, Fault.UNMANAGED_EMPTYDIR.skippedSteps());
    eventually().untilAsserted(() -> {
      Config config = config();
      assertThat(config.getSpec().getManagementState()).isEqualTo("Unmanaged");
      for (String type : List.of("Available", "Progressing", "Degraded")) {
        assertThat(condition(config, type)).extracting("reason", "message")
            .containsExactly("Unmanaged", "The registry configuration is set to unmanaged mode");
      }
      assertThat(condition(config, "Available").getStatus()).isEqualTo("True");
      assertThat(condition(config, "Progressing").getStatus()).isEqualTo("False");
      assertThat(condition(config, "Degraded").getStatus()).isEqualTo("False");
      assertThat(condition(config, "StorageExists")).extracting("status", "reason").containsExactly("True", "PVC Exists");
      assertThat(config.getStatus().getStorage().getPvc().getClaim()).isEqualTo("internal-registry-pvc");
      assertThat(config.getStatus().getReadyReplicas()).isEqualTo(1);
      assertThat(coCondition("Available")).extracting("status", "reason").containsExactly("True", "Unmanaged");
      assertThat(pvc().getStatus().getPhase()).isEqualTo("Bound");
      assertThat(client.config().images().withName("cluster").get().getStatus()
          .getInternalRegistryHostname()).isEqualTo("image-registry.openshift-image-registry.svc:5000");
    });
    String deployPath = "/apis/apps/v1/namespaces/" + NS + "/deployments/image-registry";
    await("the operator leaves the deployment alone").pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> {
          var deploy = client.apps().deployments().inNamespace(NS).withName("image-registry").get();
          assertThat(deploy.getSpec().getTemplate().getSpec().getVolumes())
              .anyMatch(v -> v.getName().equals("registry-storage") && v.getEmptyDir() != null);
          assertThat(lab.requests()).noneMatch(r -> r.mutating() && r.path().startsWith(deployPath)
              && !r.path().startsWith(deployPath + "/status"));
        });

    Files.createDirectories(emptyDir.resolve("docker/registry/v2"));
    client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).delete();
    eventually().untilAsserted(() -> {
      Pod next = registryPods().get(0);
      assertThat(next.getMetadata().getName()).isNotEqualTo(pod.getMetadata().getName());
      assertThat(DeploymentController.ready(next)).isTrue();
      assertThat(emptyDir).as("the old pod's emptyDir went with it").doesNotExist();
    });
  }

  // ---------------------------------------------------------------- helpers

  private static ConditionFactory eventually() {
    return await().atMost(SETTLE).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
  }

  private Config config() {
    return client.imageRegistryOperatorConfigs().withName("cluster").get();
  }

  private PersistentVolume pv() {
    return client.persistentVolumes().withName("internal-registry").get();
  }

  /** Writes to configs/cluster (spec or status) by the lab's control plane since {@code t0}. */
  private long configWritesSince(Instant t0) {
    return lab.requests().stream().filter(r -> r.mutating() && !r.time().isBefore(t0)
        && r.actor().equals(Identities.CONTROL_PLANE_ACTOR)
        && r.path().startsWith("/apis/imageregistry.operator.openshift.io/v1/configs/cluster")).count();
  }

  private PersistentVolumeClaim pvc() {
    return client.persistentVolumeClaims().inNamespace(NS).withName("internal-registry-pvc").get();
  }

  private List<Pod> registryPods() {
    List<Pod> pods = client.pods().inNamespace(NS).withLabel("docker-registry", "default").list().getItems();
    assertThat(pods).isNotEmpty();
    return pods;
  }

  private List<Event> eventsFor(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
  }

  private static OperatorCondition condition(Config config, String type) {
    return config.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
        .findFirst().orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private static PodCondition podCondition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no pod condition " + type));
  }

  /** kill -SIG pid (STOP freezes the registry as a hang would; CONT resumes it). */
  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
  }

  private ClusterOperatorStatusCondition coCondition(String type) {
    ClusterOperator co = client.config().clusterOperators().withName("image-registry").get();
    return co.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no CO condition " + type));
  }

  private int registryPort() {
    Endpoints endpoints = client.endpoints().inNamespace(NS).withName("image-registry").get();
    assertThat(endpoints.getSubsets().get(0).getAddresses()).hasSize(1);
    return endpoints.getSubsets().get(0).getPorts().get(0).getPort();
  }

  /** GET /v2/ over TLS verified against the service CA for the service host name. */
  private String getV2(int port) throws Exception {
    String caPem = client.configMaps().inNamespace(NS).withName("openshift-service-ca.crt").get()
        .getData().get("service-ca.crt");
    SSLContext context = trusting(caPem);
    try (Socket raw = new Socket("127.0.0.1", port);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, SVC_HOST, port, true)) {
      SSLParameters params = socket.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(params);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(("GET /v2/ HTTP/1.1\r\nHost: " + SVC_HOST + ":5000\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  /** An SSLContext trusting the PEM certificates in {@code pem} (a kubeconfig works too). */
  private static SSLContext trusting(String pem) throws Exception {
    String certs = pem;
    if (pem.contains("certificate-authority-data:")) {
      String b64 = pem.lines().filter(l -> l.contains("certificate-authority-data:")).findFirst()
          .orElseThrow().split(":", 2)[1].trim();
      certs = new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(
        new ByteArrayInputStream(certs.getBytes(StandardCharsets.US_ASCII)))) {
      store.setCertificateEntry("ca" + i++, (X509Certificate) cert);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static boolean portOpen(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

}
