package dev.regcheck.lab.faults;

import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.Times;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.openshift.api.model.ImageBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * many-images: what a long-lived cluster has accumulated, written through the API as its
 * writers wrote it: {@value #IMAGES} Images of earlier builds (pushed to the internal registry,
 * spread over {@value #STREAMS} repositories) and {@value #EVENTS} events in the registry's
 * namespace about pods long gone (a quarter with only {@code eventTime}, as events.k8s.io writers
 * leave them).
 */
final class HistorySeed {
  static final int IMAGES = 20_000;
  static final int EVENTS = 2_000;
  static final int STREAMS = 200;
  private static final int WRITERS = 8;

  private HistorySeed() {}

  static void seed(OpenShiftClient client, LabSettings s) {
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS, r -> {
      Thread t = new Thread(r, "lab-history-seed");
      t.setDaemon(true);
      return t;
    });
    try {
      Instant start = Instant.now().minus(Duration.ofDays(400));
      IntStream.range(0, IMAGES).forEach(i -> writers.execute(() -> {
        String digest = "sha256:" + HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(32).putInt(28, i + 1).array());
        client.images().resource(new ImageBuilder().withNewMetadata().withName(digest).endMetadata()
            .withDockerImageReference("image-registry.openshift-image-registry.svc:5000/builds/app-" + (i % STREAMS)
                + "@" + digest)
            .withDockerImageManifestMediaType("application/vnd.oci.image.manifest.v1+json").build()).create();
      }));
      IntStream.range(0, EVENTS).forEach(i -> writers.execute(() -> {
        Instant at = start.plus(Duration.ofHours(i));
        String pod = "image-registry-7d9f8c6b5-" + String.format("%05d", i / 4);
        EventBuilder event = new EventBuilder().withNewMetadata().withName(pod + "." + Long.toHexString(i))
            .withNamespace(s.namespace()).endMetadata().withNewInvolvedObject().withKind("Pod").withName(pod)
            .withNamespace(s.namespace()).endInvolvedObject().withType("Normal")
            .withReason(i % 2 == 0 ? "Pulled" : "Started").withMessage(i % 2 == 0
                ? "Container image already present on machine" : "Started container registry")
            .withNewSource().withComponent("kubelet").endSource();
        if (i % 4 == 3) {
          event.withEventTime(new io.fabric8.kubernetes.api.model.MicroTime(Times.format(at)))
              .withReportingComponent("kubelet").withReportingInstance("master0").withAction("Started");
        } else {
          event.withFirstTimestamp(Times.format(at)).withLastTimestamp(Times.format(at)).withCount(1);
        }
        client.v1().events().inNamespace(s.namespace()).resource(event.build()).create();
      }));
    } finally {
      writers.shutdown();
      try {
        if (!writers.awaitTermination(10, TimeUnit.MINUTES)) {
          writers.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        writers.shutdownNow();
      }
    }
  }
}
