package dev.regcheck.junit;

import java.util.Set;
import dev.regcheck.result.Text;
import dev.regcheck.assertions.CheckFailure;
import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.LiveOnly;
import dev.regcheck.catalog.Step;
import dev.regcheck.client.ClusterClients.AuditViolation;
import dev.regcheck.fixture.StepFixtures;
import dev.regcheck.result.Status;
import io.qameta.allure.Allure;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;
import dev.regcheck.session.RunSession;
import dev.regcheck.session.Failures;
import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.Messages;
import dev.regcheck.result.Redactor;
import io.qameta.allure.model.StepResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;
import dev.regcheck.result.CheckResult;

/**
 * Turns JUnit tests into catalog checks: BLOCKED when a prerequisite did not pass, the status
 * model of checks.md, Allure labels from the catalog, evidence attached, and each check's
 * {@link CheckResult} recorded in the run's {@link RunSession} (the one result model every report
 * is written from). The launcher puts the session in the launcher session's store
 * ({@link #LAUNCHER_NAMESPACE}) after its apply phase; a run outside the launcher (an IDE) builds
 * one from the configuration parameters and applies first.
 */
public final class RegcheckExtension implements BeforeEachCallback,
    TestExecutionExceptionHandler, AfterTestExecutionCallback, ParameterResolver {

  /** Where the launcher puts the run's {@link RunSession} (key: {@code RunSession.class}). */
  public static final List<Object> LAUNCHER_NAMESPACE = List.of(RegcheckExtension.class);

  /** The check that judges the API server's certificate against the kubeconfig (every check needs the API). */
  static final String API_TRUST_CHECK = "S12.1";
  /** The check that says the kubeconfig's session was refused (401). */
  static final String SESSION_CHECK = "S08.4";
  /** What needs no API session: S08.4 itself, the API's TLS (S12.1), the password login (S12.2). */
  static final Set<String> SESSION_FREE = Set.of("S08.4", "S12.1", "S12.2");

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RegcheckExtension.class);
  private static final String STARTED = "started";

  static RunSession session(ExtensionContext context) {
    RunSession given = context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION,
        ExtensionContext.Namespace.create(LAUNCHER_NAMESPACE.toArray())).get(RunSession.class, RunSession.class);
    if (given != null) {
      return given;
    }
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(RunSession.class, k -> {
      RunSession s = RunSession.fromParameters(context::getConfigurationParameter);
      StepFixtures.prepare(s);
      s.applyAll(step -> StepFixtures.apply(Step.valueOf(step), s).map(a -> a.what()).orElse("reads only"));
      return s;
    }, RunSession.class);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    RunSession session = session(context);
    CheckDef check = check(context);
    context.getStore(NS).put(STARTED, System.nanoTime());
    labels(check, session.templateValues(), session.lang());
    // what apply did for the step is shown once, in the step's first check to run (whose duration then includes it)
    for (RunSession.ActionRecord a : session.firstToShow(check.step().name()) ? session.actions(check.step().name())
        : List.<RunSession.ActionRecord>of()) {
      String uuid = UUID.randomUUID().toString();
      StepResult step = new StepResult().setName(a.name())
          .setStatus(a.ok() ? io.qameta.allure.model.Status.PASSED : io.qameta.allure.model.Status.BROKEN);
      Allure.getLifecycle().startStep(uuid, step);
      Allure.getLifecycle().stopStep(uuid);
      // the lifecycle stamps start and stop with the clock now; the action happened during apply
      step.setStart(a.start()).setStop(a.stop());
    }
    Optional<String> live = session.snapshot().isEmpty() ? Optional.empty() : LiveOnly.reaches(check.id());
    if (live.isPresent()) {
      // a capture holds objects, not a handshake or a login: not judged, and said so
      String message = "needs a live cluster: " + live.get() + " (judging " + session.snapshot().get("snapshot.kind") + ")";
      publish(context, session, check, Status.SKIP, message);
      throw new TestAbortedException(message);
    }
    if (session.apiTrust().problem().isPresent() && !check.id().equals(API_TRUST_CHECK)) {
      // every check reads the cluster through the API server: none means anything until S12.1 is fixed
      Blocked blocked = Blocked.by(API_TRUST_CHECK, "FAIL " + Text.firstLine(session.apiTrust().problem().get()));
      session.blockedBy(check.id(), API_TRUST_CHECK);
      publish(context, session, check, Status.BLOCKED, blocked.getMessage());
      throw blocked;
    }
    if (session.sessionRefused().isPresent() && session.renewedToken().isEmpty()
        && !SESSION_FREE.contains(check.id())) {
      // every read goes through the refused session: nothing means anything until S08.4's login is fixed
      Blocked blocked = Blocked.by(SESSION_CHECK, "FAIL " + session.sessionRefused().get());
      session.blockedBy(check.id(), SESSION_CHECK);
      publish(context, session, check, Status.BLOCKED, blocked.getMessage());
      throw blocked;
    }
    String applyFailure = session.applyFailure(check.step().name()).orElse(null);
    if (applyFailure != null) {
      publish(context, session, check, Status.ERROR, applyFailure);
      throw new IllegalStateException(applyFailure);
    }
    for (String prerequisite : check.prerequisites()) {
      Optional<Status> outcome = session.outcome(prerequisite);
      if (outcome.isPresent() && outcome.get() == Status.SKIP) {
        // not applicable passes on as not applicable: BLOCKED is for a prerequisite that failed; the
        // check that was itself not applicable is named, with its reason, not a chain of skips
        String root = session.rootCause(prerequisite);
        String via = root.equals(prerequisite) ? "" : " (via " + prerequisite + ")";
        String why = "skipped because " + root + " was skipped" + via + ": " + Text.firstLine(session.reason(root));
        session.blockedBy(check.id(), root);
        publish(context, session, check, Status.SKIP, why);
        throw new TestAbortedException(why);
      }
      if (outcome.isPresent() && outcome.get() != Status.PASS && outcome.get() != Status.WARN) {
        // name the check that actually failed, not a chain of BLOCKED ones
        String root = session.rootCause(prerequisite);
        Blocked blocked = Blocked.by(root, prerequisite, session.outcome(root).map(Status::name).orElse("") + " "
            + Text.firstLine(session.reason(root)));
        session.blockedBy(check.id(), root);
        publish(context, session, check, Status.BLOCKED, blocked.getMessage());
        throw blocked;
      }
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
    RunSession session = session(context);
    CheckDef check = check(context);
    Status status;
    String message;
    String fix = null;
    if (throwable instanceof Blocked b) {
      status = Status.BLOCKED;
      message = b.getMessage();
      session.blockedBy(check.id(), b.prerequisite());
    } else if (throwable instanceof TestAbortedException a) {
      status = Status.SKIP;
      message = a.getMessage();
    } else if (!session.snapshot().isEmpty() && Failures.notCaptured(throwable).isPresent()) {
      // the capture did not collect it: absent from the capture is not absent from the cluster
      status = Status.SKIP;
      message = Failures.notCaptured(throwable).get();
    } else if (Failures.forbidden(throwable).isPresent()) {
      // a permission the profile's identity lacks: not applicable to this identity, said at once
      status = Status.SKIP;
      // a profile that names no user (a pod's service account): the server's words name the identity
      String user = session.profile().identity().user();
      message = "not permitted" + (user == null ? "" : " for " + user) + " (403): "
          + Failures.forbidden(throwable).get() + "; grant the permission or run as a user who has it";
    } else if (throwable instanceof AuditViolation) {
      status = Status.ERROR;
      message = throwable.getMessage();
    } else if (throwable instanceof CheckFailure f) {
      status = check.mandatory() ? Status.FAIL : Status.WARN;
      message = f.summary();
      fix = f.fix().orElse(null);
      for (CheckFailure.Evidence e : f.evidence()) {
        session.evidence().attach(check.id(), e.name(), e.text());
      }
    } else if (throwable instanceof AssertionError) {
      status = check.mandatory() ? Status.FAIL : Status.WARN;
      message = throwable.getMessage();
      session.evidence().attach(check.id(), "assertion", String.valueOf(throwable.getMessage()));
    } else {
      status = Status.ERROR;
      message = Failures.describe(throwable);
    }
    boolean known = false;
    if (status == Status.FAIL || (status == Status.WARN && throwable instanceof AssertionError)) {
      var issue = session.profile().knownIssue(check.id());
      if (issue.isPresent() && issue.get().activeOn(LocalDate.now())) {
        status = Status.WARN;
        known = true;
        message = "known issue until " + issue.get().until() + ": " + issue.get().reason() + " — " + message;
      } else if (issue.isPresent()) {
        message = "known issue expired on " + issue.get().until() + " (" + issue.get().reason() + "): " + message;
      }
    }
    CheckResult result = publish(context, session, check, status, message, known, fix);
    if (status != Status.WARN) {
      // Allure shows the failure message: the fix goes with it
      throw redacted(throwable, session.redactor(), status == Status.FAIL ? result.remediation() : null);
    }
  }

  /**
   * The throwable JUnit will record (JUnit XML, Allure), with its text redacted: evidence in a
   * failure message can hold a config's httpSecret or a token. The stack trace is kept.
   */
  static Throwable redacted(Throwable t, Redactor redactor) {
    return redacted(t, redactor, null);
  }

  /** As {@link #redacted(Throwable, dev.regcheck.result.Redactor)}, with the check's fix after the summary. */
  static Throwable redacted(Throwable t, Redactor redactor, String fix) {
    Throwable out;
    String fixLine = fix == null ? "" : "\nfix: " + fix;
    if (t instanceof TestAbortedException) {
      return t;
    } else if (t instanceof CheckFailure f) {
      List<CheckFailure.Evidence> ev = new ArrayList<>();
      f.evidence().forEach(e -> ev.add(new CheckFailure.Evidence(e.name(), redactor.redact(e.text()))));
      out = new CheckFailure(redactor.redact(f.summary() + fixLine), ev);
    } else if (t instanceof AssertionError) {
      out = new AssertionError(redactor.redact(String.valueOf(t.getMessage()) + fixLine));
    } else {
      out = new IllegalStateException(t.getClass().getName() + ": " + redactor.redact(String.valueOf(t.getMessage())));
    }
    out.setStackTrace(t.getStackTrace());
    return out;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    RunSession session = session(context);
    CheckDef check = check(context);
    if (context.getExecutionException().isEmpty() && session.outcome(check.id()).isEmpty()) {
      List<String> notes = session.takeNotes();
      Status status = notes.stream().anyMatch(n -> n.startsWith("WARN ")) ? Status.WARN : Status.PASS;
      publish(context, session, check, status, String.join("; ", notes));
    }
  }

  private CheckResult publish(ExtensionContext context, RunSession session, CheckDef check, Status status,
      String message) {
    return publish(context, session, check, status, message, false, null);
  }

  /**
   * The check's one result: message with the run's notes, redacted; the fix computed once, here
   * (the failure's own when it names one).
   */
  private CheckResult publish(ExtensionContext context, RunSession session, CheckDef check, Status status,
      String message, boolean known, String fix) {
    List<String> notes = session.takeNotes();
    String text = message == null ? "" : message;
    if (!notes.isEmpty()) {
      text = text.isEmpty() ? String.join("; ", notes) : text + "; " + String.join("; ", notes);
    }
    text = session.redactor().redact(text);
    Long started = context.getStore(NS).get(STARTED, Long.class);
    long ms = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
    CheckResult result = new CheckResult(check, status, text,
        fix == null ? session.remediation(check) : Messages.render(session.redactor().redact(fix), session.lang()), ms,
        session.evidence().of(check.id()), known);
    session.record(result);
    return result;
  }

  private static void labels(CheckDef check, Map<String, String> values, Lang lang) {
    Step step = check.step();
    Allure.epic(step.section().titleZh() + " / " + step.section().titleEn());
    Allure.feature(step.name() + " " + step.titleZh() + " / " + step.titleEn());
    Allure.story(check.id() + " " + check.title(lang, values));
    Lang other = lang == Lang.ZH ? Lang.EN : Lang.ZH;
    Allure.getLifecycle().updateTestCase(tc -> tc.setName(check.id() + " " + check.title(lang, values))
        .setDescription(check.title(other, values) + "\n\n" + check.remediationMarkdown(lang, values)));
    Allure.label("severity", check.mandatory() ? "critical" : "minor");
    for (String tag : check.tags()) {
      Allure.label("tag", tag);
    }
  }

  static CheckDef check(ExtensionContext context) {
    Check annotation = context.getRequiredTestMethod().getAnnotation(Check.class);
    if (annotation == null) {
      throw new IllegalStateException(context.getRequiredTestMethod() + " has no @Check");
    }
    return Catalog.get(annotation.value());
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> type = pc.getParameter().getType();
    return type == RunSession.class || type.getPackageName().equals(StepFixtures.class.getPackageName());
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    RunSession session = session(ec);
    Class<?> type = pc.getParameter().getType();
    if (type == RunSession.class) {
      return session;
    }
    try {
      // the run's shared resources (RouteAccess, TestArtifacts) come from their of(RunSession)
      for (Method m : type.getMethods()) {
        if (m.getName().equals("of") && Modifier.isStatic(m.getModifiers())
            && m.getReturnType() == type && Arrays.equals(m.getParameterTypes(), new Class<?>[] {RunSession.class})) {
          return m.invoke(null, session);
        }
      }
      Constructor<?> c = type.getConstructor(RunSession.class);
      return c.newInstance(session);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ParameterResolutionException("cannot build fixture " + type.getSimpleName(), e);
    } catch (ReflectiveOperationException e) {
      throw new ParameterResolutionException("cannot build fixture " + type.getSimpleName(), e);
    }
  }
}
