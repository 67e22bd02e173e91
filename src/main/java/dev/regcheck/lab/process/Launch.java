package dev.regcheck.lab.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What to run: {@code program} with {@code args} in {@code dir}, reading and writing only below
 * {@code shared} (a container gets exactly these folders, at the same paths), its output line by line
 * to {@code lines}, or appended to {@code log} when {@code lines} is null.
 *
 * @param name names its output pump and its container, e.g. {@code lab-router}
 */
public record Launch(String name, Program program, List<String> args, Path dir, List<Path> shared,
    Consumer<String> lines, Path log) {

  public Launch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(program, "program");
    args = List.copyOf(args);
    Objects.requireNonNull(dir, "dir");
    shared = List.copyOf(shared);
    if (lines == null && log == null) {
      throw new IllegalArgumentException("a launch needs lines or a log file");
    }
  }
}
