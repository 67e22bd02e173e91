package dev.regcheck.lab.nfs;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The short commands the NFS server's set-up runs (rpcinfo, ss, ip): run to completion, output kept. */
public final class Commands {
  private Commands() {}

  /** A finished command: its exit status, standard output and standard error. */
  public record Result(int exit, byte[] stdout, String stderr) {
    /** Standard output as text. */
    public String output() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /** Runs a command (10 s at most) with no input; nothing it writes goes anywhere but the result. */
  public static Result run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        throw new IllegalStateException(String.join(" ", argv) + " did not finish within 10 s");
      }
      return new Result(p.exitValue(), out, new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", argv) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", argv), e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  public static Optional<Path> onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

}
