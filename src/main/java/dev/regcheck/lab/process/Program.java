package dev.regcheck.lab.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The real programs the lab runs, by the Debian package that has them and where the package puts them. */
public enum Program {
  REGISTRY("docker-registry", "docker-registry", "/usr/bin/docker-registry"),
  HAPROXY("haproxy", "haproxy", "/usr/sbin/haproxy");

  private final String command;
  private final String debianPackage;
  private final Path path;

  Program(String command, String debianPackage, String path) {
    this.command = command;
    this.debianPackage = debianPackage;
    this.path = Path.of(path);
  }

  public String command() {
    return command;
  }

  public String debianPackage() {
    return debianPackage;
  }

  /** Where the Debian package installs it (in the lab's images too). */
  public Path packagedPath() {
    return path;
  }

  /** On this machine: the packaged path, else the first {@link #command()} on PATH. */
  public Optional<Path> onThisMachine() {
    if (Files.isExecutable(path)) {
      return Optional.of(path);
    }
    String search = System.getenv("PATH");
    if (search == null) {
      return Optional.empty();
    }
    for (String dir : search.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
