package dev.regcheck.nfs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a {@link NfsProbe#writeProbe write probe} did, step by step: the steps run in {@link Step}
 * order and stop at the first failure, except REMOVE (run once CREATE succeeded) and UMNT (run once
 * MNT succeeded), which are always attempted.
 */
public final class WriteProbe {
  /** The steps, in the order they run. */
  public enum Step {
    /** GETPORT of MOUNT v3 and NFS v3 over TCP. */
    PORTMAP,
    /** MOUNT v3 MNT of the export: its root file handle. */
    MNT,
    /** NFS v3 LOOKUP of the file name: it must not exist yet (NFS3ERR_NOENT). */
    LOOKUP,
    /** NFS v3 CREATE, GUARDED. */
    CREATE,
    /** NFS v3 WRITE of the whole content, FILE_SYNC. */
    WRITE,
    /** NFS v3 READ back, compared with what was written. */
    READ,
    /** NFS v3 REMOVE of the created file. */
    REMOVE,
    /** MOUNT v3 UMNT of the export. */
    UMNT
  }

  /**
   * One step's outcome.
   *
   * @param detail what the server answered, in words; for a failed step the failure's message
   */
  public record StepResult(Step step, boolean ok, String detail, Duration elapsed) {
    @Override
    public String toString() {
      return step + " " + (ok ? "ok" : "FAILED") + " (" + elapsed.toMillis() + " ms): " + detail;
    }
  }

  private final String server;
  private final String exportPath;
  private final String fileName;
  private final List<StepResult> steps;
  private final NfsProbeException failure;

  WriteProbe(String server, String exportPath, String fileName, List<StepResult> steps, NfsProbeException failure) {
    this.server = server;
    this.exportPath = exportPath;
    this.fileName = fileName;
    this.steps = List.copyOf(steps);
    this.failure = failure;
  }

  /** The NFS server's host, as the probe was given it. */
  public String server() {
    return server;
  }

  public String exportPath() {
    return exportPath;
  }

  public String fileName() {
    return fileName;
  }

  /** The file's path as a client sees it: the export path, then the file name. */
  public String path() {
    return join(exportPath, fileName);
  }

  static String join(String exportPath, String fileName) {
    return (exportPath.endsWith("/") ? exportPath : exportPath + "/") + fileName;
  }

  /** The steps that ran, in order. */
  public List<StepResult> steps() {
    return steps;
  }

  public Optional<StepResult> step(Step step) {
    return steps.stream().filter(s -> s.step() == step).findFirst();
  }

  /** True when every step ran and succeeded. */
  public boolean succeeded() {
    return failure == null;
  }

  /**
   * The first failure, its {@link NfsProbeException#step() step} set; a failure of REMOVE or UMNT
   * after an earlier one is attached to it as suppressed.
   */
  public Optional<NfsProbeException> failure() {
    return Optional.ofNullable(failure);
  }

  /** This probe when it succeeded, else its failure thrown. */
  public WriteProbe orThrow() throws NfsProbeException {
    if (failure != null) {
      throw failure;
    }
    return this;
  }

  /** One line per step. */
  @Override
  public String toString() {
    return "write probe of " + server + ":" + path() + "\n"
        + steps.stream().map(s -> "  " + s).collect(Collectors.joining("\n"));
  }
}
