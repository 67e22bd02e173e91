package dev.regcheck.snapshot;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
 */
public record Capture(Kind kind, Path path, Optional<Instant> capturedAt, Optional<String> clusterVersion,
    Optional<String> clusterId, List<CapturedObject> objects, Set<Scope> complete, List<String> notes) {

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

  /** A kind of one group captured whole in one namespace ("" for cluster-scoped objects). */
  public record Scope(String group, String kind, String namespace) {}

  /** Whether the capture holds every object of this kind there (then a missing object is absent). */
  public boolean holdsAll(String group, String kind, String namespace) {
    return complete.contains(new Scope(group, kind, namespace == null ? "" : namespace));
  }
}
