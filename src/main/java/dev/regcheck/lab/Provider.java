package dev.regcheck.lab;

import dev.regcheck.lab.containers.ContainerEngine;
import dev.regcheck.lab.nfs.LabNfs;
import dev.regcheck.lab.process.HostRuntime;
import dev.regcheck.lab.process.Program;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the embedded lab runs its real parts (registry, HAProxy, NFS server): {@code host}, as this JVM's
 * child processes from the Debian packages installed here (needs root for the NFS server's namespace);
 * {@code containers}, as containers of a Docker-compatible engine through Testcontainers; {@code auto},
 * host where it can run everything, else containers where an engine answers.
 */
public enum Provider {
  HOST, CONTAINERS, AUTO;

  /** {@code host}, {@code containers} or {@code auto}; null when the word is none of them. */
  public static Provider of(String word) {
    for (Provider p : values()) {
      if (p.word().equals(word)) {
        return p;
      }
    }
    return null;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static String words() {
    return Arrays.stream(values()).map(Provider::word).collect(Collectors.joining(" | "));
  }

  /**
   * The provider a lab uses: this one, or for {@code auto} host when root with every package, else
   * containers when an engine answers.
   *
   * @throws dev.regcheck.lab.core.LabException for containers (chosen or the only choice) with no engine
   *     answering: one line naming the socket tried and how to start one
   */
  public Provider resolve() throws dev.regcheck.lab.core.LabException {
    if (this == HOST) {
      return HOST;
    }
    Optional<String> hostLacks = this == AUTO ? hostLacks() : Optional.of("");
    if (hostLacks.isEmpty()) {
      return HOST;
    }
    Optional<String> noEngine = ContainerEngine.unavailableReason();
    if (noEngine.isEmpty()) {
      return CONTAINERS;
    }
    throw new dev.regcheck.lab.core.LabException(this == AUTO
        ? "the lab can run neither here (" + hostLacks.get() + ") nor as containers (" + noEngine.get() + ")"
        : noEngine.get(), null);
  }

  /** For a resolved {@code containers}: builds the lab's images now, before labs start side by side. */
  public void prepare() throws dev.regcheck.lab.core.LabException {
    if (this == CONTAINERS) {
      try {
        ContainerEngine.prepareImages();
      } catch (java.io.IOException e) {
        throw new dev.regcheck.lab.core.LabException(e.getMessage(), e);
      }
    }
  }

  /** What the host provider lacks on this machine to run every part; empty when it lacks nothing. */
  static Optional<String> hostLacks() {
    Optional<String> nfs = LabNfs.unavailableReason();
    if (nfs.isPresent()) {
      return nfs;
    }
    for (Program program : Program.values()) {
      Optional<String> why = HostRuntime.INSTANCE.unavailableReason(program);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }
}
