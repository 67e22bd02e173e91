package dev.regcheck.lab.apiserver.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's graceful deletion as the API server's pod strategy does it: a pod bound to a node and
 * not yet terminal is not removed by a DELETE but marked ({@code metadata.deletionTimestamp} now
 * plus the grace period, {@code deletionGracePeriodSeconds}) and shown as Terminating until its
 * kubelet has stopped the containers and deletes it again with a grace period of 0. An unbound
 * or terminal (Failed, Succeeded) pod, or a grace period of 0, is removed at once.
 *
 * <p>fabric8's store removes any object written with a deletionTimestamp and no finalizer, so a
 * terminating pod carries the lab's finalizer {@value #FINALIZER} (a real one shows none); the
 * final deletion writes the pod without it, which the store takes as the removal.
 */
public final class GracefulDeletion {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** {@code spec.terminationGracePeriodSeconds}' default. */
  static final long DEFAULT_GRACE_SECONDS = 30;
  public static final String FINALIZER = "lab.regcheck.dev/terminating";

  /** What a DELETE of a pod does: remove it now, or store it as given (marked, or unmarked to be removed). */
  public record Outcome(boolean removeNow, ObjectNode store) {}

  private GracefulDeletion() {}

  /**
   * The DELETE of {@code pod}: the grace period is the request's ({@code gracePeriodSeconds} in
   * the query or in the body's DeleteOptions), else the pod's, else 30 s; a pod already terminating
   * keeps the earlier end, or goes now when the request's grace period is 0.
   */
  public static Outcome of(JsonNode pod, Map<String, String> query, String body) {
    Optional<Long> requested = requested(query, body);
    boolean terminating = pod.path("metadata").hasNonNull("deletionTimestamp");
    if (terminating) {
      ObjectNode copy = pod.deepCopy();
      if (requested.isPresent() && requested.get() <= 0) {
        withoutFinalizer((ObjectNode) copy.path("metadata"));
      }
      return new Outcome(false, copy);
    }
    String phase = pod.path("status").path("phase").asText("");
    long grace = requested.orElse(pod.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS));
    if (grace <= 0 || pod.path("spec").path("nodeName").asText("").isEmpty() || phase.equals("Failed")
        || phase.equals("Succeeded")) {
      return new Outcome(true, null);
    }
    ObjectNode marked = pod.deepCopy();
    ObjectNode metadata = (ObjectNode) marked.path("metadata");
    metadata.put("deletionTimestamp", Instant.now().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS).toString())
        .put("deletionGracePeriodSeconds", grace);
    ArrayNode finalizers = metadata.has("finalizers") ? (ArrayNode) metadata.get("finalizers")
        : metadata.putArray("finalizers");
    finalizers.add(FINALIZER);
    return new Outcome(false, marked);
  }

  private static void withoutFinalizer(ObjectNode metadata) {
    if (metadata.get("finalizers") instanceof ArrayNode list) {
      for (int i = list.size() - 1; i >= 0; i--) {
        if (FINALIZER.equals(list.get(i).asText())) {
          list.remove(i);
        }
      }
      if (list.isEmpty()) {
        metadata.remove("finalizers");
      }
    }
  }

  private static Optional<Long> requested(Map<String, String> query, String body) {
    if (query.containsKey("gracePeriodSeconds")) {
      try {
        return Optional.of(Long.parseLong(query.get("gracePeriodSeconds")));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode options = JSON.readTree(body);
      return options.hasNonNull("gracePeriodSeconds") ? Optional.of(options.get("gracePeriodSeconds").asLong())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
