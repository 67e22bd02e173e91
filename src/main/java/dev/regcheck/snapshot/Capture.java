package dev.regcheck.snapshot;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cluster state read from a capture: its objects, which kinds it holds whole (so an object
 * missing from them is absent from the cluster, not merely uncollected), and what it says about
 * itself (when, which cluster, what was anonymised).
 *
 * @param kind        the layout it was read as
 * @param path        what the user named (a folder or an archive)
 * @param capturedAt  when it was captured, when the capture says so
 * @param clusterVersion the cluster's version (ClusterVersion), when captured
 * @param clusterId   the cluster's ID (ClusterVersion spec.clusterID, Insights {@code config/id})
 * @param objects     every object, each once
 * @param complete    kinds captured whole per namespace ("" for cluster-scoped): a List file, even an empty one
 * @param notes       what a reader must know (anonymisation, files skipped)
 * @param logs        pod logs it holds (lines without the timestamps must-gather asks for), by pod
 */
public record Capture(Kind kind, Path path, Optional<Instant> capturedAt, Optional<String> clusterVersion,
    Optional<String> clusterId, List<CapturedObject> objects, Set<Scope> complete, List<String> notes,
    Map<PodLog, List<String>> logs) {

  /** A pod's log: its current container's, or the previous one's (after a restart). */
  public record PodLog(String namespace, String pod, boolean previous) {}

  /** The three layouts regcheck reads. */
  public enum Kind {
    MUST_GATHER("must-gather"), INSIGHTS("Insights archive"), OC_GET("oc get files");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The namespace of a {@link Scope} listed across the cluster: every namespace (and cluster-scoped objects). */
  public static final String ALL_NAMESPACES = "*";

  /**
   * A kind of one group captured whole in one namespace ("" for cluster-scoped objects, "*" for
   * all), or as far as a list's selectors chose ("" for none; a run's recording keeps such lists).
   */
  public record Scope(String group, String kind, String namespace, String labelSelector, String fieldSelector) {
    public Scope(String group, String kind, String namespace) {
      this(group, kind, namespace, "", "");
    }
  }

  /** Whether the capture holds every object of this kind there (then a missing object is absent). */
  public boolean holdsAll(String group, String kind, String namespace) {
    return complete.contains(new Scope(group, kind, namespace == null ? "" : namespace))
        || complete.contains(new Scope(group, kind, ALL_NAMESPACES));
  }
}
