package dev.regcheck.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real CLI tools (skopeo, podman) against the lab as the document runs them, with the
 * lab's names resolvable and nothing written outside a temporary directory: each command runs
 * under {@code unshare -m} (root) with a private hosts file bind-mounted over /etc/hosts (the real
 * one is never edited), a tmpfs over {@code /var/lib/containers} (skopeo's blob-info cache) and
 * one over {@code /run} (podman's {@code /run/containers/networks});
 * podman gets its own storage root, run root and auth file in the directory. Tools that cannot run
 * here (not root, not installed) make {@link #available()} say why.
 */
public final class ToolSandbox {
  private final Path dir;
  private final Path hosts;
  private final Path certs;
  private final Path authFile;

  /** @param names host names the lab serves, all mapped to 127.0.0.1 */
  public ToolSandbox(Path dir, List<String> names, String caPem) throws IOException {
    this.dir = dir;
    this.hosts = dir.resolve("hosts");
    this.certs = dir.resolve("certs");
    this.authFile = dir.resolve("auth.json");
    Files.createDirectories(dir);
    StringBuilder h = new StringBuilder("127.0.0.1 localhost\n::1 localhost\n");
    names.forEach(n -> h.append("127.0.0.1 ").append(n).append('\n'));
    Files.writeString(hosts, h.toString(), StandardCharsets.US_ASCII);
    Files.createDirectories(certs);
    Files.writeString(certs.resolve("ca.crt"), caPem, StandardCharsets.US_ASCII);
    Files.createDirectories(dir.resolve("tmp"));
  }

  /** Empty when the tools can run here, else why not. */
  public static Optional<String> unavailable(String... tools) {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("the tool interop tests need root (unshare -m, podman's storage)");
    }
    for (String t : tools) {
      if (onPath(t).isEmpty()) {
        return Optional.of(t + " is not installed (.ci/run installs it: bin/lab-packages --test-tools)");
      }
    }
    if (onPath("unshare").isEmpty()) {
      return Optional.of("unshare is not installed");
    }
    return Optional.empty();
  }

  public Path certDir() {
    return certs;
  }

  public Path authFile() {
    return authFile;
  }

  /** Podman's global options keeping its state in the sandbox directory. */
  public List<String> podman(String... args) {
    List<String> argv = new ArrayList<>(List.of("podman", "--root", dir.resolve("storage").toString(),
        "--runroot", dir.resolve("run").toString(), "--storage-driver", "vfs",
        "--tmpdir", dir.resolve("tmp").toString()));
    argv.addAll(List.of(args));
    return argv;
  }

  public record Result(int exit, String output) {}

  /** Runs the command in the sandbox; the output is stdout and stderr together. */
  public Result run(List<String> argv) throws IOException, InterruptedException {
    return run(argv, null);
  }

  /**
   * Runs the command with {@code stdin} as its standard input (a password for
   * {@code --password-stdin}: secrets never go on a command line, where {@code ps} shows them).
   */
  public Result run(List<String> argv, String stdin) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
        "set -e; mount --bind \"$1\" /etc/hosts; "
            + "if [ -d /var/lib/containers ]; then mount -t tmpfs tmpfs /var/lib/containers; "
            + "else mount -t tmpfs tmpfs /var/lib; fi; mount -t tmpfs tmpfs /run; shift; exec \"$@\"",
        "sh", hosts.toString()));
    command.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.put("REGISTRY_AUTH_FILE", authFile.toString());
    env.put("TMPDIR", dir.resolve("tmp").toString());
    env.put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
    Process p = builder.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + argv);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  public static Optional<Path> onPath(String command) {
    String path = System.getenv("PATH");
    for (String d : (path == null ? "/usr/bin:/usr/sbin" : path + ":/usr/sbin:/sbin").split(File.pathSeparator)) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, command);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
