package dev.regcheck.session;

import dev.regcheck.tls.HttpsProxy;
import dev.regcheck.catalog.Lang;
import dev.regcheck.client.ClusterClients;
import dev.regcheck.snapshot.Recording;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.result.Redactor;
import dev.regcheck.result.Status;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import dev.regcheck.client.ApiTrust;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import dev.regcheck.result.CheckResult;
import java.util.function.Consumer;
import dev.regcheck.catalog.CheckDef;

/**
 * Everything one run of the suites shares: the profile, the mode, the cluster client, the
 * outcomes so far (for prerequisites) and the evidence sink. Built once per launcher run from
 * JUnit configuration parameters and kept in the root extension store; closed at the end.
 */
public final class RunSession implements AutoCloseable {

  /** JUnit configuration parameter names: the launcher's contract with the suites. */
  public static final String PROFILE = "regcheck.profile";
  public static final String MODE = "regcheck.mode";
  public static final String LANG = "regcheck.lang";
  public static final String REPORT_DIR = "regcheck.reportDir";
  /** Steps to perform before any check, in order, in apply mode (the launcher computes them). */
  public static final String APPLY_STEPS = "regcheck.applySteps";
  public static final String SET_PREFIX = "regcheck.set.";

  private final LabProfile profile;
  private final Mode mode;
  private final Lang lang;
  private final List<String> applySteps;
  private final Map<String, String> applied = new ConcurrentHashMap<>();
  private final Map<String, String> applyFailures = new ConcurrentHashMap<>();
  private volatile OpenShiftClient client;
  private final Redactor redactor;
  /** Why the API server refused the kubeconfig's credentials at the start (401), if it did. */
  private final Optional<String> sessionRefused;
  /** The token this run logged in for when the kubeconfig's was refused, and how it was obtained. */
  private volatile String renewedToken;
  private volatile String renewedHow;
  private final Evidence evidence;
  private final Map<String, Status> outcomes = new ConcurrentHashMap<>();
  private final Map<String, String> reasons = new ConcurrentHashMap<>();
  /** The API server's TLS judged against the kubeconfig's CA once, at the start (S12.1). */
  private final ApiTrust apiTrust;
  /** The profile's values for the catalog's templates (titles, fixes), computed once. */
  private final Map<String, String> templateValues;

  public RunSession(LabProfile profile, Mode mode, Lang lang, List<String> applySteps, Path reportDir, OpenShiftClient client) {
    this.profile = profile;
    this.mode = mode;
    this.lang = lang;
    this.applySteps = List.copyOf(applySteps);
    this.client = client;
    this.redactor = ClusterClients.redactorFor(profile, client);
    this.evidence = new Evidence(reportDir, redactor);
    this.apiTrust = ApiTrust.probe(client.getConfiguration(), profile.timeouts().request());
    this.templateValues = profile.templateValues();
    this.sessionRefused = apiTrust.problem().isPresent() ? Optional.empty() : ClusterClients.refusal(client);
  }

  /**
   * The API server answered the kubeconfig's credentials with 401 (an expired or logged-out
   * token: {@code oc} says "You must be logged in to the server"), said once at the start.
   */
  public Optional<String> sessionRefused() {
    return sessionRefused;
  }

  /** Carries on with a token this run obtained (oc login -u with the profile's password). */
  public synchronized void renewSession(String token, String how) {
    revokeAtClose(token);
    OpenShiftClient old = client;
    client = ClusterClients.withToken(profile, mode == Mode.AUDIT, old.getConfiguration(), token, recording);
    renewedToken = token;
    renewedHow = how;
    old.close();
  }

  /** What the run reads, kept for {@code --record}; null when not recording. */
  private volatile Recording recording;

  /** Tokens this run obtained by logging in: each is an object on the cluster until it is revoked. */
  private final Set<String> obtainedTokens = ConcurrentHashMap.newKeySet();

  /** Revokes the token when the run closes, after its clean-up, as {@code oc logout} does with its own. */
  public void revokeAtClose(String token) {
    obtainedTokens.add(token);
  }

  private volatile String renewalFailure;

  /** Why the run could not log in again after the kubeconfig's session was refused. */
  public void renewalFailed(String why) {
    renewalFailure = why;
  }

  public Optional<String> renewalFailure() {
    return Optional.ofNullable(renewalFailure);
  }

  /** The token the run logged in for, when the kubeconfig's was refused. */
  public Optional<String> renewedToken() {
    return Optional.ofNullable(renewedToken);
  }

  public Optional<String> renewedHow() {
    return Optional.ofNullable(renewedHow);
  }

  private volatile Map<String, String> environment = System.getenv();

  /** Judges by this environment instead of the process's (see {@code RunOptions.environment}). */
  public void useEnvironment(Map<String, String> env) {
    environment = Map.copyOf(env);
  }

  private volatile Map<String, String> snapshot = Map.of();

  /** The run judges a capture served read-only, not a live cluster: what it is (kind, path, time, cluster). */
  public void judgeSnapshot(Map<String, String> description) {
    snapshot = Map.copyOf(description);
  }

  /** The capture this run judges (empty: a live cluster). */
  public Map<String, String> snapshot() {
    return snapshot;
  }

  /** The environment the run judges by: {@code KUBERNETES_SERVICE_HOST}, variables named by the profile. */
  public Map<String, String> environment() {
    return environment;
  }

  /** The profile's values for the catalog's templates. */
  public Map<String, String> templateValues() {
    return templateValues;
  }

  /** A check's fix in the run's language, filled from the profile: every report uses this one. */
  public String remediation(CheckDef check) {
    return check.remediation(lang, templateValues);
  }

  /** Whether {@code oc} would trust the API server with this kubeconfig (S12.1), judged at the start. */
  public ApiTrust apiTrust() {
    return apiTrust;
  }

  /** Reads the launcher's configuration parameters. */
  public static RunSession fromParameters(Function<String, Optional<String>> param) {
    String profilePath = param.apply(PROFILE).orElseThrow(() ->
        new IllegalStateException("configuration parameter " + PROFILE + " is not set; run the suites through ./regcheck"));
    Map<String, String> sets = new HashMap<>();
    for (String key : param.apply("regcheck.setKeys").map(s -> s.split(",")).orElse(new String[0])) {
      if (!key.isBlank()) {
        param.apply(SET_PREFIX + key).ifPresent(v -> sets.put(key, v));
      }
    }
    LabProfile profile = ProfileLoader.fromSystem(sets).load(Path.of(profilePath));
    Mode mode = Mode.of(param.apply(MODE).orElse("verify"));
    Lang lang = Lang.of(param.apply(LANG).orElse(profile.lang()));
    List<String> apply = mode == Mode.APPLY
        ? Arrays.stream(param.apply(APPLY_STEPS).orElse("").split(",")).filter(x -> !x.isBlank()).toList()
        : List.of();
    Path reportDir = param.apply(REPORT_DIR).map(Path::of).orElse(null);
    return open(profile, mode, lang, apply, reportDir);
  }

  /** A session on the profile's cluster (read-only client in audit mode). */
  public static RunSession open(LabProfile profile, Mode mode, Lang lang, List<String> applySteps, Path reportDir) {
    return open(profile, mode, lang, applySteps, reportDir, System.getenv());
  }

  /** A session judging by {@code env} (the proxy variables and {@code KUBERNETES_SERVICE_HOST} among them). */
  public static RunSession open(LabProfile profile, Mode mode, Lang lang, List<String> applySteps, Path reportDir,
      Map<String, String> env) {
    return open(profile, mode, lang, applySteps, reportDir, env, null);
  }

  /** As {@link #open(LabProfile, Mode, Lang, List, Path, Map)}; every object the run reads also goes into {@code recording} (if not null). */
  public static RunSession open(LabProfile profile, Mode mode, Lang lang, List<String> applySteps, Path reportDir,
      Map<String, String> env, Recording recording) {
    OpenShiftClient client = ClusterClients.connect(profile, mode == Mode.AUDIT, env, recording);
    RunSession session = new RunSession(profile, mode, lang, applySteps, reportDir, client);
    session.recording = recording;
    session.useEnvironment(env);
    return session;
  }

  /** The workstation's HTTPS proxy (HTTPS_PROXY, NO_PROXY of the run's environment), which every client of the run honours. */
  public Optional<HttpsProxy> proxy() {
    return HttpsProxy.fromEnvironment(environment); // validated when the session's client was made
  }

  public LabProfile profile() {
    return profile;
  }

  public Mode mode() {
    return mode;
  }

  public Lang lang() {
    return lang;
  }

  public OpenShiftClient client() {
    return client;
  }

  public Redactor redactor() {
    return redactor;
  }

  public Evidence evidence() {
    return evidence;
  }

  /**
   * Apply mode: every chosen step's fixture performs its step, in the procedure's order, before
   * any check runs ("apply, then verify everything"). A step that fails to apply turns its checks
   * into ERROR; the later steps still apply.
   */
  /** The steps apply mode performs in this run, in the procedure's order (empty in audit mode). */
  public List<String> applySteps() {
    return applySteps;
  }

  public void applyAll(Function<String, String> applyStep) {
    if (apiTrust.problem().isPresent()) {
      // nothing can be applied through an API server the kubeconfig does not trust; S12.1 says why
      applySteps.forEach(step -> applyFailures.put(step, "apply of " + step + " is impossible: "
          + redactor.redact(apiTrust.problem().get())));
      return;
    }
    for (String step : applySteps) {
      try {
        applied.put(step, applyStep.apply(step));
      } catch (RuntimeException | AssertionError e) {
        applyFailures.put(step, redactor.redact("apply of " + step + " failed: " + Failures.describe(e)));
      }
    }
  }

  /** A fixture action performed outside a check (apply mode), replayed as an Allure step on the step's checks. */
  public record ActionRecord(String name, boolean ok, long start, long stop) {}

  /** The parts of steps' applies that go on while the checks start, by step. */
  private final Map<String, Thread> continuing = new ConcurrentHashMap<>();
  /** What those parts did, by step (added to what the step's apply said). */
  private final Map<String, String> continued = new ConcurrentHashMap<>();

  /**
   * The rest of {@code step}'s apply goes on on a thread of its own while the later steps apply and
   * the checks start (S10's trust update, a second of a system tool). Its sentence is added to the
   * step's when it ends; a failure fails the step's apply as if it had happened in {@link #applyAll}.
   * The step's checks wait for it ({@link #applyFailure}, {@link #actions}), as does anything that
   * reads what it changes ({@link #awaitApplies}).
   */
  public void applyContinues(String step, Supplier<String> rest) {
    Thread t = new Thread(() -> {
      try {
        continued.put(step, rest.get());
      } catch (RuntimeException | AssertionError e) {
        applyFailures.put(step, redactor.redact("apply of " + step + " failed: " + Failures.describe(e)));
      }
    }, "regcheck-apply-" + step);
    t.setDaemon(true);
    continuing.put(step, t);
    t.start();
  }

  /** Waits until the rest of {@code step}'s apply, if any goes on, has ended. */
  public void awaitApply(String step) {
    Thread t = continuing.get(step);
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the apply of " + step + " to end");
    }
  }

  /** Waits until every step's apply has ended (what reads the workstation's trust, the run's summary, the close). */
  public void awaitApplies() {
    continuing.keySet().forEach(this::awaitApply);
  }

  private final Map<String, List<ActionRecord>> actions = new ConcurrentHashMap<>();

  public void recordAction(String step, String name, boolean ok, long start) {
    actions.computeIfAbsent(step, k -> new CopyOnWriteArrayList<>())
        .add(new ActionRecord(redactor.redact(name), ok, start, System.currentTimeMillis()));
  }

  public List<ActionRecord> actions(String step) {
    awaitApply(step);
    return List.copyOf(actions.getOrDefault(step, List.of()));
  }

  private final Set<String> actionsShown = ConcurrentHashMap.newKeySet();

  /** Whether this is the first time the step's actions are asked to be shown (they belong to one check only). */
  public boolean firstToShow(String step) {
    return actionsShown.add(step);
  }

  public Optional<String> applyFailure(String step) {
    awaitApply(step);
    return Optional.ofNullable(applyFailures.get(step));
  }

  private final List<String> notes = new ArrayList<>();

  /**
   * Adds a note to the running check's result. A note starting with {@code WARN } turns a pass
   * into WARN: it works, but is risky or deviates from the document.
   */
  public synchronized void note(String text) {
    notes.add(text);
  }

  public synchronized List<String> takeNotes() {
    List<String> out = List.copyOf(notes);
    notes.clear();
    return out;
  }

  private final List<CheckResult> results = new ArrayList<>();
  private volatile Consumer<CheckResult> onResult = r -> { };

  /** Called with each check's result as it is recorded (the launcher's live progress). */
  public void onResult(Consumer<CheckResult> listener) {
    this.onResult = listener;
  }

  /**
   * Records a check's result: the one result model every report is written from. A check has one
   * result; a second one for the same check is ignored.
   */
  public void record(CheckResult result) {
    synchronized (results) {
      if (outcomes.containsKey(result.check().id())) {
        return;
      }
      outcomes.put(result.check().id(), result.status());
      reasons.put(result.check().id(), result.message());
      results.add(result);
    }
    onResult.accept(result);
  }

  /** Every result recorded so far, in the order they were recorded. */
  public List<CheckResult> results() {
    synchronized (results) {
      return List.copyOf(results);
    }
  }

  /** What apply mode did, per step that it performed, in the procedure's order ("S01: …"). */
  public List<String> appliedSteps() {
    awaitApplies();
    return applySteps.stream().filter(s -> applied.containsKey(s) && !applyFailures.containsKey(s))
        .map(s -> s + ": " + applied.get(s) + (continued.containsKey(s) ? "; " + continued.get(s) : "")).toList();
  }

  private final Map<String, String> blockedBy = new ConcurrentHashMap<>();

  public void blockedBy(String checkId, String root) {
    blockedBy.put(checkId, root);
  }

  /** The check whose failure blocked this one (itself when it was not blocked by a prerequisite). */
  public String rootCause(String checkId) {
    return blockedBy.getOrDefault(checkId, checkId);
  }

  /** The outcome of an earlier check in this run, if it ran. */
  public Optional<Status> outcome(String checkId) {
    return Optional.ofNullable(outcomes.get(checkId));
  }

  public String reason(String checkId) {
    return reasons.getOrDefault(checkId, "");
  }

  private final Map<Class<?>, Object> resources = new LinkedHashMap<>();

  /**
   * A resource the run's checks share (the registry connection, the test artifacts), made on
   * first use. Those that are {@link AutoCloseable} are closed when the session closes, newest
   * first, before the cluster client.
   */
  public synchronized <T> T resource(Class<T> type, Supplier<T> make) {
    Object existing = resources.get(type);
    if (existing == null) {
      existing = make.get();
      resources.put(type, existing);
    }
    return type.cast(existing);
  }

  /** The resource if a check made it already. */
  public synchronized <T> Optional<T> existing(Class<T> type) {
    return Optional.ofNullable(resources.get(type)).map(type::cast);
  }

  private boolean closed;

  /** Closes once (the launcher's store and the runner may both close it). */
  @Override
  public void close() {
    try {
      awaitApplies(); // nothing of an apply goes on after its session
    } catch (IllegalStateException e) {
      // interrupted: closing goes on
    }
    List<Object> made;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      made = new ArrayList<>(resources.values());
      resources.clear();
    }
    Collections.reverse(made);
    for (Object r : made) {
      if (r instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          System.err.println("regcheck: " + redactor.redact("closing " + r.getClass().getSimpleName()
              + " failed: " + e.getMessage()));
        }
      }
    }
    for (String token : obtainedTokens) {
      // a run that logs in logs out again, after its clean-up: each token is an object on the cluster until
      // then; deleted with itself, as oc logout does (any user may delete a token whose name it knows)
      try (OpenShiftClient own = ClusterClients.withToken(profile, false, client.getConfiguration(), token)) {
        ClusterClients.revoke(own, token).ifPresent(why -> System.err.println("regcheck: "
            + redactor.redact("could not revoke the run's own token: " + why)));
      }
    }
    client.close();
  }
}
