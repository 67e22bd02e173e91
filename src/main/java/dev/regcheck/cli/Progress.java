package dev.regcheck.cli;

import dev.regcheck.catalog.Lang;
import dev.regcheck.catalog.Messages;
import dev.regcheck.catalog.Step;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import dev.regcheck.run.Checklist;
import dev.regcheck.wait.Wait;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The run as it happens, and nothing twice: each step's title when its first check ends (and, marked
 * as continued, when a check of it ends after another step's), each
 * check once as it ends (a reason and the fix under what did not pass; a BLOCKED check names only
 * its blocker, whose own line says why), and a wait that lasts over two seconds named while it
 * lasts. On a terminal that line is rewritten in place and statuses are coloured (never with
 * {@code NO_COLOR}); in a log every line is written once.
 */
final class Progress implements Consumer<CheckResult>, Wait.Watcher {
  private static final String INDENT = "           ";
  private final PrintStream out;
  private final Lang lang;
  private final Map<String, String> values;
  private final boolean tty;
  private final boolean colour;
  private Step step;
  private String waitingFor;
  private boolean waitLineOpen;
  /** Each check's message so far: a blocked check's line leaves out its blocker's, said above. */
  private final Map<String, String> said = new java.util.HashMap<>();
  /** The steps whose title has been printed. */
  private final java.util.Set<Step> titled = java.util.EnumSet.noneOf(Step.class);

  Progress(PrintStream out, Lang lang, Map<String, String> values) {
    this(out, lang, values, System.console() != null, System.getenv());
  }

  Progress(PrintStream out, Lang lang, Map<String, String> values, boolean tty, Map<String, String> env) {
    this.out = out;
    this.lang = lang;
    this.values = values;
    this.tty = tty;
    String noColor = env.get("NO_COLOR");
    this.colour = tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
  }

  @Override
  public synchronized void accept(CheckResult r) {
    clearWaitLine();
    if (r.check().step() != step) {
      step = r.check().step();
      out.println();
      // a step met again (S05.4, whose window runs while the others do, is judged last) says so
      out.println(step.name() + " " + step.title(lang) + (titled.add(step) ? ""
          : lang == Lang.ZH ? "（续）" : " (continued)"));
    }
    String line = Checklist.line(r, lang, values);
    String status = r.status().name();
    out.println("  " + (colour ? paint(r.status(), status) + line.substring(status.length()) : line));
    if (r.status() == Status.BLOCKED) {
      out.println(INDENT + Checklist.blocker(r, said, lang));
    } else if (r.status() != Status.PASS && !r.message().isBlank()) {
      out.println(INDENT + r.message(lang).strip().replace("\n", "\n" + INDENT));
    }
    if (r.status() == Status.FAIL || r.status() == Status.WARN) {
      out.println(INDENT + Checklist.fix(lang) + r.remediation());
    }
    said.put(r.check().id(), r.message());
    out.flush();
  }

  @Override
  public synchronized void waiting(String what, Duration sofar) {
    if (tty) {
      out.print("\r\033[K  … " + awaited(what) + " (" + sofar.toSeconds() + " s)");
      waitLineOpen = true;
    } else if (!what.equals(waitingFor)) {
      out.println("  … " + awaited(what));
    }
    waitingFor = what;
    out.flush();
  }

  /** "waiting for the registry pod to be Ready", in the run's language. */
  private String awaited(String what) {
    return Messages.render("waiting for " + what, lang);
  }

  @Override
  public synchronized void over() {
    clearWaitLine();
    waitingFor = null;
  }

  private void clearWaitLine() {
    if (waitLineOpen) {
      out.print("\r\033[K");
      waitLineOpen = false;
    }
  }

  private static String paint(Status s, String text) {
    String code = switch (s) {
      case PASS -> "32";
      case FAIL -> "31";
      case WARN -> "33";
      case BLOCKED -> "35";
      case SKIP -> "90";
      case ERROR -> "1;31";
    };
    return "\033[" + code + "m" + text + "\033[0m";
  }
}
