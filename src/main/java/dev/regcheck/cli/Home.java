package dev.regcheck.cli;

import java.nio.file.Path;

/** Where the project lives: profiles/, reports/, .regcheck/ (the ./regcheck script sets regcheck.home). */
final class Home {
  private Home() {}

  static Path dir() {
    return Path.of(System.getProperty("regcheck.home", ".")).toAbsolutePath().normalize();
  }

  static Path profiles() {
    return dir().resolve("profiles");
  }

  static Path reports() {
    return dir().resolve("reports");
  }

  /** State of labs started by this checkout (kubeconfig, request log); ignored by git. */
  static Path state() {
    return dir().resolve(".regcheck");
  }
}
