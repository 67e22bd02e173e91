package dev.regcheck.lab.ingress;

import dev.regcheck.lab.core.LogRing;
import dev.regcheck.lab.process.Part;
import dev.regcheck.lab.process.Haproxy;
import io.fabric8.openshift.api.model.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's haproxy processes: the configuration and certificate files written 0600, a new
 * process started with {@code -sf} when the configuration changes, the old one left to drain, and
 * a configuration haproxy refuses kept out (the running one keeps serving). Guarded by the router.
 */
final class RouterProcesses {
  /** How long a reload waits for the old process to hand over (it exits once it has no connections). */
  static final Duration HANDOVER_LIMIT = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(HaproxyRouter.class);

  private final Haproxy haproxy;
  private final Path dir;
  private final int port;
  private final LogRing log = new LogRing();
  private Part current;
  private final List<Part> draining = new ArrayList<>();
  private String runningConfig;
  private String rejectedConfig;
  private Duration startToReady;
  private Duration lastReload;

  RouterProcesses(Haproxy haproxy, Path dir, int port) {
    this.haproxy = haproxy;
    this.dir = dir;
    this.port = port;
  }

  boolean running() {
    return current != null && current.alive();
  }

  OptionalLong pid() {
    return running() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
  }

  List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    Stream.concat(Stream.ofNullable(current), draining.stream()).filter(Part::alive)
        .forEach(p -> pids.add(p.pid()));
    return pids;
  }

  List<String> logLines() {
    return log.lines();
  }

  Optional<Duration> startToReady() {
    return Optional.ofNullable(startToReady);
  }

  Optional<Duration> lastReload() {
    return Optional.ofNullable(lastReload);
  }

  /** Whether the running configuration has a backend for this route (its admitted state is real). */
  boolean serves(Route route) {
    return runningConfig != null && runningConfig.contains("backend be_" + route.getMetadata().getNamespace() + "_"
        + route.getMetadata().getName() + "\n");
  }

  /**
   * Writes the files and (re)starts haproxy when the configuration text changed or it is not
   * running. Returns whether {@code config} is what runs now.
   */
  boolean apply(String config, Map<String, String> files) throws IOException {
    boolean running = current != null && current.alive();
    if (running && config.equals(runningConfig)) {
      return true;
    }
    if (config.equals(rejectedConfig)) {
      return false; // already logged; the previous process keeps serving
    }
    if (current != null && !current.alive()) {
      LOG.warn("router: haproxy (pid {}) exited with {}; starting it again", current.pid(), current.exitCode().orElse(-1));
      current = null;
    }
    Files.createDirectories(dir.resolve("certs"));
    Files.createDirectories(dir.resolve("cacerts"));
    for (Map.Entry<String, String> file : files.entrySet()) {
      writePrivate(Path.of(file.getKey()), file.getValue());
    }
    Path candidate = dir.resolve("haproxy.cfg.new");
    writePrivate(candidate, config);
    Optional<String> invalid = haproxy.check(candidate);
    if (invalid.isPresent()) {
      rejectedConfig = config;
      LOG.warn("router: the generated haproxy configuration is invalid, keeping the running one: {}", invalid.get());
      return false;
    }
    rejectedConfig = null;
    Path cfg = dir.resolve("haproxy.cfg");
    Files.move(candidate, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Part old = current;
    long started = System.nanoTime();
    boolean bySignal = Haproxy.bySignal(old);
    Part next = haproxy.start("lab-router", cfg, dir, old, log::add, null);
    if (!awaitListening(next)) {
      next.kill();
      rejectedConfig = config; // retried when the configuration changes, not every tick
      LOG.warn("router: haproxy did not accept on 127.0.0.1:{} within {} s: {}", port, Haproxy.READY_LIMIT.toSeconds(),
          String.join(" | ", log.lines().subList(Math.max(0, log.lines().size() - 3), log.lines().size())));
      return false;
    }
    if (old == null) {
      startToReady = Duration.ofNanos(System.nanoTime() - started);
    } else {
      try {
        if (!bySignal) {
          Haproxy.handOver(old);
        }
        old.awaitExit(HANDOVER_LIMIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        LOG.warn("router: the old haproxy could not be told to stop softly: {}", e.getMessage());
      }
      lastReload = Duration.ofNanos(System.nanoTime() - started);
      if (old.alive()) {
        draining.add(old); // still finishing connections; stopped at close() at the latest
      }
    }
    draining.removeIf(p -> !p.alive());
    current = next;
    runningConfig = config;
    for (String stale : staleFiles(files)) {
      Files.deleteIfExists(Path.of(stale));
    }
    return true;
  }

  private List<String> staleFiles(Map<String, String> files) throws IOException {
    List<String> stale = new ArrayList<>();
    for (String sub : List.of("certs", "cacerts")) {
      try (Stream<Path> listing = Files.list(dir.resolve(sub))) {
        listing.map(Path::toString).filter(p -> !files.containsKey(p)).forEach(stale::add);
      }
    }
    return stale;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Until the port accepts while {@code process} runs (it binds before it signals the old one). */
  private boolean awaitListening(Part process) {
    try {
      return process.awaitListening(port, Haproxy.READY_LIMIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void close() {
    List<Part> all = new ArrayList<>(draining);
    if (current != null) {
      all.add(current);
    }
    for (Part process : all) {
      process.stop(Haproxy.STOP_GRACE);
    }
    draining.clear();
    current = null;
  }
}
