package dev.regcheck.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link Certificates#buildChain}: either the path (leaf first, anchor last) or one
 * precise reason why there is none.
 */
public record BuiltChain(List<X509Certificate> path, Optional<String> problem) {
  public BuiltChain {
    path = List.copyOf(path);
  }

  static BuiltChain found(List<X509Certificate> path) {
    return new BuiltChain(path, Optional.empty());
  }

  static BuiltChain failed(String reason) {
    return new BuiltChain(List.of(), Optional.of(reason));
  }

  public boolean verified() {
    return problem.isEmpty();
  }

  /** The trust anchor the path ends in (only when verified). */
  public X509Certificate anchor() {
    if (path.isEmpty()) {
      throw new IllegalStateException("no chain: " + problem.orElse("?"));
    }
    return path.get(path.size() - 1);
  }
}
