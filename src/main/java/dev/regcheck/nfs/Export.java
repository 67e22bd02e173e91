package dev.regcheck.nfs;

import java.util.List;

/**
 * One entry of the MOUNT export list (RFC 1813 {@code exportnode}), as {@code showmount -e} prints it.
 *
 * @param path the exported directory as clients mount it
 * @param groups the hosts, networks or netgroups allowed to mount it; empty or {@code *} means every host
 */
public record Export(String path, List<String> groups) {
  public Export {
    groups = List.copyOf(groups);
  }

  /** True when every host may mount the export: no group restricts it, or one of them is {@code *}. */
  public boolean forAllHosts() {
    return groups.isEmpty() || groups.contains("*");
  }
}
