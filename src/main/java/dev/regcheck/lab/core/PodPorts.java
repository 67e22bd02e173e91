package dev.regcheck.lab.core;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What the kubelet's port-forward reaches: the address on the node behind a port of a pod's
 * network namespace (CRI-O connects to {@code localhost:<port>} inside it).
 */
public interface PodPorts {
  /** Where port {@code port} of the pod with this uid is listened on now; empty if nothing listens there. */
  Optional<InetSocketAddress> listening(String namespace, String podUid, int port);
}
