package dev.regcheck.lab;

import dev.regcheck.lab.core.LabException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lab workstation's system trust, kept as Debian keeps it and with Debian's own tool: the
 * anchors directory ({@code trust/}, the lab's {@code /usr/local/share/ca-certificates}, the
 * document's {@code /etc/pki/ca-trust/source/anchors}) and the bundle the real
 * {@code update-ca-certificates} extracts from it and the system's CAs into
 * {@code trust-bundle/ca-certificates.crt}, which is what podman and oc read. A CA dropped into the
 * anchors is trusted only once the update has run. {@code certs.d/} is the lab's
 * {@code /etc/containers/certs.d}, empty.
 */
public final class WorkstationTrust {
  static final String BUNDLE_DIR = "trust-bundle";
  static final String BUNDLE = "ca-certificates.crt";
  static final String HOOKS_DIR = "trust-hooks";
  static final String CERTS_D = "certs.d";
  private static final Path TOOL = Path.of("/usr/sbin/update-ca-certificates");
  private static final Path SYSTEM_CONF = Path.of("/etc/ca-certificates.conf");
  private static final long LIMIT_SECONDS = 60;

  private WorkstationTrust() {}

  /** Why the lab cannot keep a workstation bundle here; empty when it can. */
  public static Optional<String> unavailableReason() {
    if (!Files.isExecutable(TOOL) || !Files.isRegularFile(SYSTEM_CONF)) {
      return Optional.of(TOOL + " (Debian package ca-certificates) is not installed");
    }
    return Optional.empty();
  }

  /** The update command for the lab in {@code labDir}: the system's CAs plus the lab's anchors, into the lab's bundle. */
  static List<String> updateCommand(Path labDir) {
    Path d = labDir.toAbsolutePath();
    return List.of(TOOL.toString(), "--certsconf", SYSTEM_CONF.toString(), "--localcertsdir",
        d.resolve(LabFiles.TRUST_DIR).toString(), "--etccertsdir", d.resolve(BUNDLE_DIR).toString(),
        "--hooksdir", d.resolve(HOOKS_DIR).toString());
  }

  /** Runs the update, as the person does after putting a CA into the anchors. */
  static void update(Path labDir) throws LabException {
    Optional<String> why = unavailableReason();
    if (why.isPresent()) {
      throw new LabException("the lab cannot keep a workstation trust bundle: " + why.get(), null);
    }
    try {
      Files.createDirectories(labDir.resolve(BUNDLE_DIR));
      Files.createDirectories(labDir.resolve(HOOKS_DIR));
      Files.createDirectories(labDir.resolve(CERTS_D));
      Path log = labDir.resolve(HOOKS_DIR).resolve("update.log");
      Process p = new ProcessBuilder(updateCommand(labDir)).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new LabException(TOOL + " did not finish within " + LIMIT_SECONDS + " s", null);
      }
      if (p.exitValue() != 0) {
        throw new LabException(TOOL + " failed (exit " + p.exitValue() + "): "
            + Files.readString(log, StandardCharsets.UTF_8).strip(), null);
      }
    } catch (IOException e) {
      throw new LabException("cannot run " + TOOL + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running " + TOOL, e);
    }
  }

  /**
   * The update run on a thread of its own while the lab goes on starting (about 0.7 s of the tool's time
   * here); {@code after} runs once it is done. {@link Pending#await} before anything reads the bundle; a
   * lab that fails to start closes it, which waits for the tool so that nothing writes into a removed folder.
   */
  static Pending updateInBackground(Path labDir, IoStep after) throws IOException {
    Files.createDirectories(labDir.resolve(BUNDLE_DIR));
    Files.createDirectories(labDir.resolve(HOOKS_DIR));
    Files.createDirectories(labDir.resolve(CERTS_D));
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread updater = new Thread(() -> {
      try {
        update(labDir);
        after.run();
        done.complete(null);
      } catch (LabException | IOException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    }, "lab-trust-update");
    updater.setDaemon(true);
    updater.start();
    return new Pending(done);
  }

  /** A file step that may fail with an {@link IOException}. */
  interface IoStep {
    void run() throws IOException;
  }

  /** A trust update under way. */
  static final class Pending implements AutoCloseable {
    private final CompletableFuture<Void> done;

    Pending(CompletableFuture<Void> done) {
      this.done = done;
    }

    /** Waits for the update; its failure is the lab's. */
    void await() throws LabException {
      try {
        done.get(LIMIT_SECONDS + 5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof LabException lab) {
          throw lab;
        }
        throw new LabException("cannot update the lab's trust bundle: " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new LabException(TOOL + " did not finish within " + LIMIT_SECONDS + " s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while running " + TOOL, e);
      }
    }

    @Override
    public void close() {
      try {
        await();
      } catch (LabException e) {
        // the lab is being taken down: the update's failure no longer matters
      }
    }
  }

  /** {@code --set} values pointing a profile at the lab's bundle, certs.d and update command, where they exist. */
  static Map<String, String> profileOverrides(Path labDir) {
    Map<String, String> out = new LinkedHashMap<>();
    Path d = labDir.toAbsolutePath();
    if (Files.isRegularFile(d.resolve(BUNDLE_DIR).resolve(BUNDLE))) {
      out.put("exposure.trustBundle", d.resolve(BUNDLE_DIR).resolve(BUNDLE).toString());
      out.put("exposure.registryCerts", d.resolve(CERTS_D).toString());
      out.put("exposure.trustUpdate", String.join(" ", updateCommand(d)));
    }
    return out;
  }
}
