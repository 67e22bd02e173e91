package dev.regcheck.lab.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's base image made with no registry at all: the programs of this machine's Debian packages
 * (docker-registry, haproxy, nfs-ganesha with its VFS FSAL, rpcbind, and a shell) with their {@code ldd}
 * closure and the few files they read, staged as a root filesystem for {@code FROM scratch}. What
 * lab-components.md found works where nothing can be pulled.
 */
final class HostRootfs {
  /** Programs and the libraries loaded by name at run time (FSAL, ID mapping, NSS). */
  private static final List<String> PROGRAMS = List.of("/usr/bin/docker-registry", "/usr/sbin/haproxy",
      "/usr/bin/ganesha.nfsd", "/usr/sbin/rpcbind", "/bin/sh", "/bin/sleep", "/bin/chown",
      "/usr/lib/*/ganesha/libfsalvfs.so", "/usr/lib/*/libnfsidmap/nsswitch.so", "/lib/*/libnss_files.so.2");
  private static final List<String> FILES = List.of("/etc/netconfig", "/etc/services", "/etc/protocols",
      "/etc/idmapd.conf", "/etc/nsswitch.conf");
  private static final Pattern LIBRARY = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");
  private static final String PASSWD = """
      root:x:0:0:root:/root:/bin/sh
      _rpc:x:100:65534::/run/rpcbind:/usr/sbin/nologin
      nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
      """;
  private static final String GROUP = "root:x:0:\nnogroup:x:65534:\n";

  private final TreeSet<Path> files;

  private HostRootfs(TreeSet<Path> files) {
    this.files = files;
  }

  /** The files of this machine's packages, when every program is installed; empty when one is missing. */
  static Optional<HostRootfs> fromThisMachine() throws IOException, InterruptedException {
    TreeSet<Path> files = new TreeSet<>();
    for (String program : PROGRAMS) {
      Optional<Path> found = resolve(program);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      files.add(found.get());
      files.addAll(closure(found.get()));
    }
    for (String file : FILES) {
      if (Files.isRegularFile(Path.of(file))) {
        files.add(Path.of(file));
      }
    }
    return Optional.of(new HostRootfs(files));
  }

  /** Names the content: paths, sizes and modification times (a package upgrade makes a new base). */
  String digest() throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        sha.update((file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis() + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      sha.update((PASSWD + GROUP).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies the files (links followed) below {@code root}, with a passwd, a group and the run-time folders. */
  void stage(Path root) throws IOException {
    for (Path file : files) {
      Path target = root.resolve(file.toString().substring(1));
      Files.createDirectories(target.getParent());
      Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), PASSWD, StandardCharsets.US_ASCII);
    Files.writeString(root.resolve("etc/group"), GROUP, StandardCharsets.US_ASCII);
    for (String dir : List.of("run", "tmp", "var/run", "var/lib/nfs")) {
      Files.createDirectories(root.resolve(dir));
    }
  }

  private static Optional<Path> resolve(String pattern) throws IOException {
    if (!pattern.contains("*")) {
      Path path = Path.of(pattern);
      return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }
    int star = pattern.indexOf('*');
    Path parent = Path.of(pattern.substring(0, star));
    String rest = pattern.substring(star + 1);
    if (!Files.isDirectory(parent)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent)) {
      for (Path dir : dirs) {
        Path candidate = Path.of(dir + rest);
        if (Files.isRegularFile(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** The shared libraries {@code ldd} says the file loads, by the paths it gives. */
  private static List<Path> closure(Path file) throws IOException, InterruptedException {
    Process ldd = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true).start();
    ldd.getOutputStream().close();
    String output = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ldd.waitFor(10, TimeUnit.SECONDS)) {
      ldd.destroyForcibly();
      throw new IOException("ldd " + file + " did not finish");
    }
    List<Path> libraries = new ArrayList<>();
    Matcher m = LIBRARY.matcher(output);
    while (m.find()) {
      Path library = Path.of(m.group(1));
      if (Files.exists(library)) {
        libraries.add(library);
      }
    }
    return libraries;
  }
}
