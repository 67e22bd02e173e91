package dev.regcheck.lab.core;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * client-go's event recorder, simplified: writes a v1 Event the first time a component reports a
 * (object, reason, message), and counts repeats as its EventCorrelator does ({@code count} and
 * {@code lastTimestamp}), written at most once a second per event (the real one rate-limits too).
 */
public final class EventRecorder {
  private final KubernetesClient client;
  private static final long REWRITE_MILLIS = 1000;
  /** The event written for each (object, reason, message), with its count. */
  private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();

  private static final class Recorded {
    final String namespace;
    final String name;
    int count = 1;
    long writtenAt = System.currentTimeMillis();

    Recorded(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }
  }

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
    String namespace = object.getMetadata().getNamespace() == null ? "default"
        : object.getMetadata().getNamespace();
    String name = object.getMetadata().getName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xfffffffffffL);
    Recorded mine = new Recorded(namespace, name);
    Recorded earlier = recorded.putIfAbsent(key, mine);
    if (earlier != null) {
      repeated(earlier);
      return;
    }
    String now = Times.now();
    try {
      client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata()
          .withName(name)
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

  /** A repeat: count it, and write count and lastTimestamp when the last write is a second old. */
  private void repeated(Recorded event) {
    int count;
    synchronized (event) {
      event.count++;
      long now = System.currentTimeMillis();
      if (now - event.writtenAt < REWRITE_MILLIS) {
        return;
      }
      event.writtenAt = now;
      count = event.count;
    }
    try {
      client.v1().events().inNamespace(event.namespace).withName(event.name).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"count\":" + count + ",\"lastTimestamp\":\"" + Times.now() + "\"}");
    } catch (KubernetesClientException e) {
      // an event is best effort, as in client-go
    }
  }
}
