package dev.regcheck.run;

import dev.regcheck.session.Failures;
import dev.regcheck.fixture.LoginStep;
import io.fabric8.kubernetes.client.KubernetesClientException;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.Step;
import dev.regcheck.catalog.Tags;
import dev.regcheck.client.ClusterClients;
import dev.regcheck.fixture.StepFixtures;
import dev.regcheck.junit.CheckOrder;
import dev.regcheck.session.RunSession;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Redactor;
import dev.regcheck.snapshot.Recording;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import dev.regcheck.client.ApiTrust;
import dev.regcheck.junit.Check;
import dev.regcheck.profile.ProfileException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.TreeSet;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.engine.support.store.Namespace;
import dev.regcheck.junit.RegcheckExtension;
import dev.regcheck.session.Mode;
import dev.regcheck.fixture.Applied;

/**
 * Runs the tagged conformance suites through the JUnit Platform launcher and writes the run's
 * folder: summary.json, checklist.md, allure-results/, junit/ and evidence/.
 */
public final class SuiteRunner {

  public static final String SUITES_PACKAGE = "dev.regcheck.conformance";
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private SuiteRunner() {}

  /** The catalog checks a run selects by tags and id globs. */
  public static List<CheckDef> selected(Set<String> tags, String checks) {
    Predicate<String> ids = checks == null || checks.isBlank() ? id -> true : Catalog.idSelector(checks);
    return Catalog.all().stream()
        .filter(c -> ids.test(c.id()))
        .filter(c -> tags.isEmpty() || c.tags().stream().anyMatch(tags::contains))
        .toList();
  }

  public static RunReport run(RunOptions o, Consumer<CheckResult> progress) {
    for (String t : o.tags()) {
      if (!Tags.ALL.contains(t)) {
        throw new IllegalArgumentException("--tags: unknown tag '" + t + "'; known: " + new TreeSet<>(Tags.ALL));
      }
    }
    LabProfile profile = ProfileLoader.fromSystem(o.overrides()).load(o.profile());
    List<CheckDef> selected = selected(o.tags(), o.checks());
    if (selected.isEmpty()) {
      throw new IllegalArgumentException("no implemented check matches --tags " + o.tags() + " --checks " + o.checks());
    }
    Map<String, String> env = o.environment() == null ? System.getenv() : o.environment();
    Redactor redactor = preflight(profile, env);
    Set<String> ids = new HashSet<>(selected.stream().map(CheckDef::id).toList());
    Instant start = Instant.now();
    Path dir = o.reportsRoot().resolve(RUN_ID.format(start) + "-" + profile.name());
    for (int n = 2; Files.exists(dir); n++) {
      dir = o.reportsRoot().resolve(RUN_ID.format(start) + "-" + profile.name() + "-" + n);
    }
    Map<String, String> values = profile.templateValues();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create report folder " + dir, e);
    }

    // Allure's generators warm up while the checks run (a cold one takes 0.9 s after the run)
    try (AllureReport.Warm warm = o.allureHtml() ? AllureReport.warm(dir) : AllureReport.Warm.NONE) {
      List<String> applySteps = o.mode() == Mode.APPLY ? selected.stream().map(CheckDef::step).distinct().sorted()
          .filter(s -> !o.skipApply().contains(s.name()))
          .filter(s -> StepFixtures.performs(s))
          .map(Step::name).toList() : List.of();
      List<CheckResult> results = new ArrayList<>();
      List<String> applied;
      Recording recording = o.record() == null ? null : new Recording();
      Redactor recordRedactor = redactor;
      try (RunSession session = RunSession.open(profile, o.mode(), o.lang(), applySteps, dir, env, recording)) {
        recordRedactor = session.redactor();
        session.onResult(progress);
        session.judgeSnapshot(o.snapshot());
        renewRefusedSession(session);
        // phase 1, apply mode only: each chosen step's fixture performs its step, in the procedure's order
        if (session.sessionRefused().isEmpty() || session.renewedToken().isPresent()) {
          StepFixtures.prepare(session);
          session.applyAll(step -> StepFixtures.apply(Step.valueOf(step), session).map(Applied::what).orElse("reads only"));
        }
        warm.begin();
        // phase 2: every selected check, through the JUnit Platform, recorded in the session
        ResultCollector collector = checks(ids, dir, session, redactor);
        applied = session.appliedSteps(); // once every step's apply has ended (S10's trust update goes on into phase 2)
        results.addAll(session.results());
        for (CheckResult missing : collector.missing(selected)) {
          results.add(missing);
          progress.accept(missing);
        }
      }
      if (recording != null) {
        // after the session's clean-up: what the run deleted is not recorded as there
        try {
          try (var discovery = ClusterClients.connect(profile, true, env)) {
            // what the run knows only by a plural (a 404 of a kind it never listed) is named by the API's discovery
            recording.write(o.record(), recordRedactor, Instant.now(), (apiVersion, plural) -> {
              try {
                return discovery.getApiResources(apiVersion).getResources().stream()
                    .filter(r -> r.getName().equals(plural)).map(r -> r.getKind()).findFirst();
              } catch (RuntimeException e) {
                return Optional.empty();
              }
            });
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the recording into " + o.record(), e);
        }
      }
      // phase 3: the reports, all written from the same results
      results.sort(Comparator.comparing(r -> Catalog.all().indexOf(r.check())));
      long ms = Duration.between(start, Instant.now()).toMillis();
      RunReport report = new RunReport(profile.name(), o.mode(), start, ms, results, applied, dir, o.snapshot());
      Reports.write(report, o.lang(), values, o.reportsRoot(), redactor);
      if (o.allureHtml()) {
        Path history = o.historyDir() != null ? o.historyDir() : o.reportsRoot().resolve("history").resolve(profile.name());
        AllureReport.generate(report, history, environment(profile, o), redactor, o.lang(), warm);
      }
      return report;
    }
  }

  /**
   * The kubeconfig's token refused (401): as a person would, {@code oc login -u} with the profile's
   * password and go on (S08.4 still FAILs and says so). Not in audit mode: a login writes an
   * oauthaccesstokens object. The token is revoked when the session closes.
   */
  static void renewRefusedSession(RunSession session) {
    if (session.sessionRefused().isEmpty() || session.mode() == Mode.AUDIT) {
      return;
    }
    LoginStep login = new LoginStep(session);
    if (login.password().isEmpty()) {
      session.renewalFailed("the profile gives no identity.password to log in with");
      return;
    }
    try {
      LoginStep.OAuthOutcome outcome = login.oauth();
      if (outcome.token().isPresent()) {
        session.renewSession(outcome.token().get().value(), "oc login -u " + login.user()
            + " with the profile's password (through " + outcome.host() + ")");
      } else {
        session.renewalFailed("oc login -u " + login.user() + " with the profile's password failed: "
            + outcome.failure().map(Throwable::getMessage).orElse("no token"));
      }
    } catch (RuntimeException e) {
      session.renewalFailed("oc login -u " + login.user() + " with the profile's password failed: " + Failures.describe(e));
    }
  }

  /** Runs the selected checks' tests with the session in the launcher session's store. */
  private static ResultCollector checks(Set<String> ids, Path dir, RunSession session, Redactor redactor) {
    Map<String, String> params = new HashMap<>();
    params.put("junit.jupiter.testclass.order.default", CheckOrder.Classes.class.getName());
    params.put("junit.jupiter.extensions.autodetection.enabled", "true");
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectPackage(SUITES_PACKAGE))
        .filters(TagFilter.includeTags(Tags.CONFORMANCE), (PostDiscoveryFilter) d -> onlyChecks(d, ids))
        .configurationParameters(params)
        .build();
    AllureLifecycle allure = new AllureLifecycle(new FileSystemResultsWriter(dir.resolve("allure-results")));
    Allure.setLifecycle(allure);
    ResultCollector collector = new ResultCollector(session::outcome, session::record, redactor, session::remediation);
    LauncherConfig config = LauncherConfig.builder()
        .enableTestExecutionListenerAutoRegistration(false)
        .enableLauncherSessionListenerAutoRegistration(false)
        .addTestExecutionListeners(collector, new AllureJunitPlatform(allure))
        .build();
    try (LauncherSession launcher = LauncherFactory.openSession(config)) {
      launcher.getStore().put(Namespace.create(RegcheckExtension.LAUNCHER_NAMESPACE), RunSession.class, session);
      launcher.getLauncher().execute(request);
    }
    return collector;
  }

  /**
   * Bad input and an unreachable cluster are one line and exit 2 before any check runs, rather
   * than every check reporting the same ERROR.
   */
  static Redactor preflight(LabProfile profile, Map<String, String> env) {
    try (var client = ClusterClients.connect(profile, true, env)) {
      client.getKubernetesVersion();
      return ClusterClients.redactorFor(profile, client);
    } catch (ProfileException e) {
      throw e;
    } catch (RuntimeException e) {
      if (e instanceof KubernetesClientException k && k.getCode() == 401) {
        // the server answers but refuses the session (expired, logged out): S08.4 says so, not exit 2
        try (var client = ClusterClients.connect(profile, true, env)) {
          return ClusterClients.redactorFor(profile, client);
        }
      }
      try (var client = ClusterClients.connect(profile, true, env)) {
        ApiTrust trust = ApiTrust.probe(client.getConfiguration(),
            profile.timeouts().request());
        if (trust.problem().isPresent() && !trust.served().isEmpty()) {
          // the server answers but the kubeconfig does not trust it: the document's x509 case, which
          // S12.1 reports (every other check is BLOCKED by it) instead of a bare exit
          return ClusterClients.redactorFor(profile, client);
        }
      } catch (RuntimeException ignored) {
        // reported below as unreachable
      }
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new IllegalStateException("cannot reach the API server of " + profile.name() + " at " + apiServer(profile)
          + ": " + networkReason(root));
    }
  }

  /** A network failure as a person says it: "connection refused", "unknown host api.x", "timed out". */
  static String networkReason(Throwable root) {
    String message = root.getMessage() == null ? "" : root.getMessage();
    if (root instanceof ConnectException) {
      return message.isEmpty() ? "connection refused" : message.toLowerCase(Locale.ROOT);
    }
    if (root instanceof UnknownHostException) {
      return "unknown host " + message.replaceAll(":.*", "");
    }
    if (root instanceof SocketTimeoutException || root instanceof TimeoutException) {
      return "timed out" + (message.isEmpty() ? "" : " (" + message + ")");
    }
    return root.getClass().getSimpleName() + ": " + message;
  }

  /** A URL without the user information it may carry ({@code https://user:password@host} → {@code https://host}). */
  static String withoutUserInfo(String url) {
    return url.replaceFirst("^(\\w+://)[^/@]*@", "$1");
  }

  /** The API server's address as the kubeconfig (or the profile's apiUrl) gives it. */
  private static String apiServer(LabProfile profile) {
    try {
      return withoutUserInfo(ClusterClients.config(profile).getMasterUrl().replaceAll("/+$", ""));
    } catch (RuntimeException e) {
      return String.valueOf(profile.cluster().apiUrl());
    }
  }

  /** What the report's Environment widget shows. */
  static Map<String, String> environment(LabProfile profile, RunOptions o) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("lab", profile.name());
    env.put("lab.embedded", String.valueOf(profile.embedded()));
    env.put("mode", o.mode().id());
    env.put("profile", String.valueOf(o.profile()));
    env.put("harness", ClusterClients.USER_AGENT);
    gitCommit().ifPresent(c -> env.put("harness.commit", c));
    Optional.ofNullable(profile.cluster().apiUrl()).ifPresent(u -> env.put("cluster.api", u));
    env.putAll(o.snapshot()); // a capture: what it is, when it was taken, of which cluster
    return env;
  }

  /** The checkout's commit, read from .git (no git needed). */
  static Optional<String> gitCommit() {
    Path git = Path.of(System.getProperty("regcheck.home", ".")).resolve(".git");
    try {
      String head = Files.readString(git.resolve("HEAD")).strip();
      if (!head.startsWith("ref: ")) {
        return Optional.of(head);
      }
      Path ref = git.resolve(head.substring(5));
      if (Files.isRegularFile(ref)) {
        return Optional.of(Files.readString(ref).strip());
      }
      Path packed = git.resolve("packed-refs");
      if (Files.isRegularFile(packed)) {
        return Files.readAllLines(packed).stream().filter(l -> l.endsWith(" " + head.substring(5)))
            .map(l -> l.substring(0, l.indexOf(' '))).findFirst();
      }
    } catch (IOException e) {
      // not a git checkout
    }
    return Optional.empty();
  }

  private static FilterResult onlyChecks(TestDescriptor d, Set<String> ids) {
    if (d.getSource().orElse(null) instanceof MethodSource ms) {
      try {
        var a = ms.getJavaMethod().getAnnotation(Check.class);
        return FilterResult.includedIf(a != null && ids.contains(a.value()), () -> "selected", () -> "not selected");
      } catch (RuntimeException e) {
        return FilterResult.excluded("not a check");
      }
    }
    return FilterResult.included("container");
  }
}
