package dev.regcheck.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * The checks that judge something only a live cluster can show (a handshake, a login, an RPC, a
 * push), with what they reach: audited from a capture they SKIP saying so, never FAIL.
 */
public final class LiveOnly {
  private static final Map<String, String> REACHES = Map.ofEntries(
      Map.entry("S02.1", "the NFS server's portmapper"), Map.entry("S02.2", "the NFS server's MOUNT service"),
      Map.entry("S02.3", "the NFS server"), Map.entry("S02.4", "a write on the NFS export"),
      Map.entry("S05.4", "the config watched over a window of time"),
      Map.entry("S08.3", "a TLS handshake with the registry service"),
      Map.entry("S08.4", "the profile's identity logged in to the cluster"),
      Map.entry("S08.5", "the registry's login"), Map.entry("S08.6", "the registry's catalog"),
      Map.entry("S08.7", "a push to the registry"), Map.entry("S08.8", "a pull from the registry"),
      Map.entry("S08.9", "pushes and pulls refused by the registry"),
      Map.entry("S09.3", "a pull from the registry"),
      Map.entry("S10.3", "a TLS handshake through the router"),
      Map.entry("S10.4", "a push and pull through the default route"),
      Map.entry("S11.5", "a TLS handshake through the router"),
      Map.entry("S11.6", "a push and pull through the custom route"),
      Map.entry("S12.1", "the cluster's API server certificate"),
      Map.entry("S12.2", "a login to the cluster's OAuth server"),
      Map.entry("S12.3", "a login through the routes"));

  private LiveOnly() {}

  /** What the check reaches that no capture holds; empty when it judges objects only. */
  public static Optional<String> reaches(String checkId) {
    return Optional.ofNullable(REACHES.get(checkId));
  }
}
