package dev.regcheck.lab.registry;

import java.util.ArrayList;
import java.net.URI;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import dev.regcheck.lab.core.Ports;
import dev.regcheck.lab.core.LogRing;
import dev.regcheck.lab.process.PartRuntime;
import dev.regcheck.lab.process.Program;
import dev.regcheck.lab.core.WellKnown;

/**
 * The {@code registry} container of one pod as the kubelet runs it: writes the config and the
 * projected TLS files under the pod's directory, starts the real process, probes its readiness
 * and restarts it with back-off when it exits.
 *
 * <p>Readiness is a periodic probe, as a readinessProbe is: {@code GET /debug/health} on the debug
 * port every {@value #PROBE_PERIOD_MILLIS} ms with a 1 s timeout; {@value #FAILURE_THRESHOLD}
 * failures in a row make the container not Ready while its process keeps running (a hung registry),
 * one success makes it Ready again. To become Ready the probe must also get HTTPS {@code /v2/}
 * (without verification, as kubelet HTTPS probes do), so a Ready registry serves TLS. Differences
 * from the kubelet: until a run has been Ready once it is probed on every sync (about every 200 ms)
 * rather than every period, so a lab starts quickly; probes run on the kubelet's probe threads,
 * at most one per container at a time, never on the control-plane thread. Failed probes are
 * reported ({@link #takeProbeFailures()}) for the kubelet's {@code Unhealthy} events once they are
 * failures a real kubelet would see: after the run was Ready, or once the run has been up for the
 * {@value #FAILURE_THRESHOLD} periods a real kubelet's probes would take (the fast probing before
 * the first Ready is the lab's own haste, not a failure to report).
 *
 * <p>A container made to hang ({@code hangs}) is frozen (SIGSTOP) as soon as its debug port
 * accepts connections, as a registry blocked on a dead hard NFS mount: Running, its sockets open,
 * answering nothing.
 */
public final class RegistryContainer {
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  public static final long PROBE_PERIOD_MILLIS = 1000;
  public static final int FAILURE_THRESHOLD = 3;
  private static final Duration PROBE_PERIOD = Duration.ofMillis(PROBE_PERIOD_MILLIS);

  /** The projected {@code image-registry-tls} secret. */
  public record Tls(String certificate, String key) {}

  /** How the previous run ended ({@code lastState.terminated}). */
  public record Termination(int exitCode, String reason, String message, Instant startedAt,
      Instant finishedAt, String containerId) {}

  private final PartRuntime runtime;
  private final Path podDir;
  private final Path dataDir;
  private final Executor prober;
  private final RegistryConfigFile.Integration integration;
  private final int port;
  private final int debugPort;
  private LogRing current = new LogRing();
  private LogRing previous = new LogRing();
  private RegistryProcess process;
  private Instant startedAt;
  private String containerId;
  private boolean ready;
  /** This run has been Ready at least once (from then on it is probed every period). */
  private boolean readyOnce;
  /** Consecutive failed probes of this run. */
  private int failures;
  /** Which run ({@link #run}) has a probe in flight, or -1. */
  private long probing = -1;
  private Instant nextProbe = Instant.EPOCH;
  /** Counts process starts, so that a probe answering for an earlier run is ignored. */
  private long run;
  private boolean everStarted;
  private int restartCount;
  private Instant notBefore = Instant.EPOCH;
  private Duration backoff = Duration.ZERO;
  private Termination lastTermination;
  private final boolean hangs;
  /** Probe failures not yet reported as events, with the probe's own words. */
  private final List<String> unreportedFailures = new ArrayList<>();

  public RegistryContainer(PartRuntime runtime, Path podDir, Path dataDir, Executor prober,
      RegistryConfigFile.Integration integration, boolean hangs) {
    this.runtime = runtime;
    this.hangs = hangs;
    this.podDir = podDir;
    this.integration = integration;
    this.dataDir = dataDir;
    this.prober = prober;
    this.port = Ports.free();
    this.debugPort = Ports.free();
  }

  /** One kubelet sync: notice an exit, start when due, start a readiness probe when one is due. */
  public synchronized void tick(Function<String, Optional<Tls>> tls, String namespace) throws IOException {
    if (process != null && !process.alive()) {
      int code = process.exitCode().orElse(-1);
      exited(code, "Error", null);
    }
    if (process == null && Instant.now().isAfter(notBefore)) {
      start(tls.apply(namespace).orElseThrow(() -> new IOException("secret \""
          + WellKnown.REGISTRY_TLS_SECRET + "\" not found")));
    }
    if (process != null && process.alive()) {
      if (hangs && !process.frozen() && listening(debugPort)) {
        process.freeze();
      }
      probeIfDue();
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Probe failures since the last call, as the kubelet words them (empty when none are to be reported). */
  public synchronized List<String> takeProbeFailures() {
    List<String> out = List.copyOf(unreportedFailures);
    unreportedFailures.clear();
    return out;
  }

  /** Starts one probe on the probe threads when none is in flight for this run and one is due. */
  private void probeIfDue() {
    Instant now = Instant.now();
    if (probing == run || now.isBefore(nextProbe)) {
      return;
    }
    long probed = run;
    boolean toBecomeReady = !ready;
    probing = probed;
    nextProbe = readyOnce ? now.plus(PROBE_PERIOD) : Instant.EPOCH;
    try {
      prober.execute(() -> probed(probed, failure(toBecomeReady)));
    } catch (RejectedExecutionException e) {
      probing = -1; // the kubelet is closing
    }
  }

  /** A probe's answer: one success makes the run Ready, {@value #FAILURE_THRESHOLD} failures in a row not. */
  private synchronized void probed(long probedRun, Optional<String> failure) {
    boolean success = failure.isEmpty();
    if (probing == probedRun) {
      probing = -1;
    }
    if (probedRun != run || process == null) {
      return; // an earlier run's probe, or the container was stopped meanwhile
    }
    if (success) {
      failures = 0;
      ready = true;
      readyOnce = true;
    } else {
      if (++failures >= FAILURE_THRESHOLD) {
        ready = false;
      }
      boolean kubeletWouldHaveProbed = readyOnce || Duration.between(startedAt, Instant.now())
          .compareTo(PROBE_PERIOD.multipliedBy(FAILURE_THRESHOLD)) >= 0;
      if (kubeletWouldHaveProbed) {
        unreportedFailures.add(failure.get());
      }
    }
  }

  private void start(Tls tls) throws IOException {
    Files.createDirectories(podDir.resolve("secrets"));
    Files.createDirectories(dataDir);
    Path crt = podDir.resolve("secrets/tls.crt");
    Path key = podDir.resolve("secrets/tls.key");
    Files.writeString(crt, tls.certificate(), StandardCharsets.US_ASCII);
    Files.writeString(key, tls.key(), StandardCharsets.US_ASCII);
    Path signer = podDir.resolve("secrets/token-signer.crt");
    Files.writeString(signer, integration.signerCertificatePem(), StandardCharsets.US_ASCII);
    Path config = podDir.resolve("config.yml");
    Files.writeString(config, RegistryConfigFile.render(port, debugPort, dataDir, crt, key,
        integration, signer), StandardCharsets.UTF_8);
    if (everStarted) {
      previous = current;
      current = new LogRing();
    }
    startedAt = Instant.now();
    containerId = newContainerId();
    everStarted = true;
    run++;
    ready = false;
    readyOnce = false;
    failures = 0;
    nextProbe = Instant.EPOCH;
    if (runtime.unavailableReason(Program.REGISTRY).isPresent()) {
      String message = "exec: \"docker-registry\": executable file not found in $PATH "
          + "(install the Debian package: apt-get install docker-registry)";
      current.add(message);
      exited(128, "StartError", "failed to create containerd task: " + message);
      return;
    }
    process = RegistryProcess.start(runtime, config, podDir, dataDir, current);
  }

  private void exited(int code, String reason, String message) {
    lastTermination = new Termination(code, reason, message, startedAt, Instant.now(), containerId);
    process = null;
    ready = false;
    restartCount++;
    backoff = restartCount == 1 ? FIRST_BACKOFF
        : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    notBefore = Instant.now().plus(backoff);
  }

  /** Runs on a probe thread, without the lock: a hung registry blocks only this probe. Empty on success. */
  private Optional<String> failure(boolean toBecomeReady) {
    Optional<String> health = get("http://127.0.0.1:" + debugPort + "/debug/health");
    return health.isPresent() || !toBecomeReady ? health : get("https://127.0.0.1:" + port + "/v2/");
  }

  /** Empty when the URL answers as a passing HTTP probe; otherwise the failure in the kubelet's words. */
  private static Optional<String> get(String url) {
    try {
      HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
      if (connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(TRUST_ALL.getSocketFactory());
        https.setHostnameVerifier((host, session) -> true);
      }
      connection.setConnectTimeout(300);
      connection.setReadTimeout(1000);
      int code = connection.getResponseCode();
      connection.disconnect();
      boolean passes = code >= 200 && code < 400 || code == 401;
      // 401: the registry serves TLS and answers (token auth asks for credentials). A kubelet
      // would count a 401 as a failure; OpenShift's registry is probed on /healthz, which the
      // Distribution registry does not have, so the lab takes an answering /v2/ instead.
      return passes ? Optional.empty() : Optional.of("HTTP probe failed with statuscode: " + code);
    } catch (SocketTimeoutException e) {
      return Optional.of("Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
    } catch (ConnectException e) {
      URI u = URI.create(url);
      return Optional.of("Get \"" + url + "\": dial tcp " + u.getHost() + ":" + u.getPort() + ": connect: connection refused");
    } catch (IOException e) {
      return Optional.of("Get \"" + url + "\": " + e.getMessage());
    }
  }

  private static final SSLContext TRUST_ALL = trustAll();

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String newContainerId() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public synchronized void stop() {
    if (process != null) {
      process.stop();
      process = null;
    }
    ready = false;
  }

  public synchronized boolean running() {
    return process != null && process.alive();
  }

  public synchronized boolean waitingForRestart() {
    return process == null && restartCount > 0;
  }

  public synchronized boolean ready() {
    return ready && running();
  }

  public synchronized boolean everStarted() {
    return everStarted;
  }

  public synchronized int restartCount() {
    return restartCount;
  }

  public synchronized Duration backoff() {
    return backoff;
  }

  public synchronized Instant startedAt() {
    return startedAt;
  }

  public synchronized String containerId() {
    return containerId;
  }

  public synchronized Optional<Termination> lastTermination() {
    return Optional.ofNullable(lastTermination);
  }

  public synchronized Optional<Long> pid() {
    return process == null ? Optional.empty() : Optional.of(process.pid());
  }

  public int port() {
    return port;
  }

  public Path podDir() {
    return podDir;
  }

  /** The directory the process stores into ({@code rootdirectory}, the pod's {@code /registry}). */
  public Path dataDir() {
    return dataDir;
  }

  public synchronized List<String> currentLog() {
    return current.lines();
  }

  public synchronized List<String> previousLog() {
    return previous.lines();
  }
}
