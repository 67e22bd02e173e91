package dev.regcheck.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One object of a capture, with its apiVersion and kind always set (Insights writes typed gets
 * without them: they are inferred from the file's path), and the file it was read from.
 */
public record CapturedObject(String apiVersion, String kind, String namespace, String name, ObjectNode object,
    String source) {

  /** The API group ("" for the core group). */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** What identifies the object in a cluster: group, kind, namespace ("" when cluster-scoped), name. */
  public String key() {
    return group() + "/" + kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }
}
