package dev.regcheck.lab.apiserver.objects;

/**
 * What a capture holds whole: a kind of a group in a namespace ("" for cluster-scoped objects)
 * of which it has every object (or every object a list's selectors chose, when the capture
 * recorded that list), so one missing from it is absent from the cluster. Of any other kind a
 * missing object was merely not collected.
 */
@FunctionalInterface
public interface CaptureScope {
  /** Whether the capture holds every object of the kind there that the selectors (null: none) select. */
  boolean holds(String group, String kind, String namespace, String labelSelector, String fieldSelector);
}
