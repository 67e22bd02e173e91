package dev.regcheck.lab.core;

import java.util.List;
import java.util.Optional;

/** What the kubelet serves at {@code /api/v1/namespaces/<ns>/pods/<name>/log}. */
public interface PodLogs {
  /** The container's output lines, oldest first; empty if the lab does not run that pod. */
  Optional<List<String>> lines(String namespace, String pod, boolean previous);
}
