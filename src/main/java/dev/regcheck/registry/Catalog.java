package dev.regcheck.registry;

import java.util.List;

/** {@code /v2/_catalog} read to the end: every repository, and how many pages it took. */
public record Catalog(List<String> repositories, int pages) {
  public Catalog {
    repositories = List.copyOf(repositories);
  }
}
