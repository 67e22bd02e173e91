package dev.regcheck.lab.apiserver.objects;

/**
 * What a capture holds whole: a kind of a group in a namespace ("" for cluster-scoped objects)
 * of which it has every object, so one missing from it is absent from the cluster. Of any other
 * kind a missing object was merely not collected.
 */
@FunctionalInterface
public interface CaptureScope {
  boolean holdsAll(String group, String kind, String namespace);
}
