package dev.regcheck.lab.core;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * client-go's event recorder, simplified: writes a v1 Event the first time a component reports a
 * (object, reason, message); repeats are not counted (the real recorder bumps {@code count}).
 */
public final class EventRecorder {
  private final KubernetesClient client;
  private final Set<String> recorded = ConcurrentHashMap.newKeySet();

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void normal(HasMetadata object, String component, String host, String reason, String message) {
    record(object, "Normal", component, host, reason, message);
  }

  public void warning(HasMetadata object, String component, String host, String reason, String message) {
    record(object, "Warning", component, host, reason, message);
  }

  private void record(HasMetadata object, String type, String component, String host,
      String reason, String message) {
    String key = object.getMetadata().getUid() + "|" + reason + "|" + message;
    if (!recorded.add(key)) {
      return;
    }
    String namespace = object.getMetadata().getNamespace() == null ? "default"
        : object.getMetadata().getNamespace();
    String now = Times.now();
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata()
          .withName(object.getMetadata().getName() + "."
              + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xfffffffffffL))
          .withNamespace(namespace).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withKind(object.getKind())
              .withApiVersion(object.getApiVersion()).withName(object.getMetadata().getName())
              .withNamespace(object.getMetadata().getNamespace())
              .withUid(object.getMetadata().getUid())
              .withResourceVersion(object.getMetadata().getResourceVersion()).build())
          .withType(type).withReason(reason).withMessage(message)
          .withNewSource().withComponent(component).withHost(host).endSource()
          .withReportingComponent(component).withReportingInstance(host == null ? "" : host)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build()).create();
    } catch (KubernetesClientException e) {
      recorded.remove(key);
    }
  }
}
