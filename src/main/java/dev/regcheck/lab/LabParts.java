package dev.regcheck.lab;

import dev.regcheck.lab.containers.ContainerNfs;
import dev.regcheck.lab.containers.ContainerRuntime;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.faults.FaultPlan;
import dev.regcheck.lab.nfs.LabNfs;
import dev.regcheck.lab.nfs.NfsEndpoint;
import dev.regcheck.lab.process.HostRuntime;
import dev.regcheck.lab.process.PartRuntime;
import java.io.IOException;
import java.nio.file.Path;

/** A lab's runtime for its real parts ({@link Provider}) and its NFS server there. */
final class LabParts {
  private LabParts() {}

  /** The runtime of a resolved provider; the containers one has its images built before the lab starts. */
  static PartRuntime open(Provider provider, Path dir) throws LabException {
    if (provider.resolve() == Provider.HOST) {
      return HostRuntime.INSTANCE;
    }
    try {
      ContainerRuntime runtime = ContainerRuntime.open(dir);
      try {
        runtime.prepare();
      } catch (IOException | RuntimeException e) {
        runtime.close();
        throw e;
      }
      return runtime;
    } catch (IOException e) {
      throw new LabException(e.getMessage(), e);
    }
  }

  /**
   * The lab's NFS export (lab-components.md): nfs-ganesha in a network of the lab's own (a namespace or
   * a container's network) serving {@code <lab>/nfs}, which the registry stores into, as the profile's
   * {@code nfs.path}. Faults: nfs-down runs nothing at the address, export-missing exports the lab
   * directory under its own path only, export-readonly exports read-only.
   */
  static NfsEndpoint startNfs(PartRuntime runtime, LabSettings settings, FaultPlan plan, Path dir)
      throws LabException {
    Path export = dir.resolve("nfs");
    String path = plan.exportProfilePath() ? settings.nfsPath() : export.toString();
    try {
      if (runtime instanceof ContainerRuntime containers) {
        return ContainerNfs.start(containers, dir.resolve("nfs-server"), export, path, plan.nfsAccess(), plan.runNfs());
      }
      return LabNfs.start(dir.resolve("nfs-server"), export, path, plan.nfsAccess(), plan.runNfs());
    } catch (IOException e) {
      throw new LabException("the lab's NFS server could not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("the embedded lab's start was interrupted", e);
    }
  }
}
