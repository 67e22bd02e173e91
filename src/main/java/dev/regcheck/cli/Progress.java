package dev.regcheck.cli;

import dev.regcheck.catalog.Lang;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import dev.regcheck.run.Checklist;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Consumer;
import dev.regcheck.result.Text;

/** One line per check as it finishes, so a long wait is visible while it happens. */
final class Progress implements Consumer<CheckResult> {
  private final PrintStream out;
  private final Lang lang;
  private final Map<String, String> values;

  Progress(PrintStream out, Lang lang, Map<String, String> values) {
    this.out = out;
    this.lang = lang;
    this.values = values;
  }

  @Override
  public void accept(CheckResult r) {
    out.println("  " + Checklist.line(r, lang, values)
        + (r.status() == Status.PASS || r.message().isEmpty() ? "" : "  — " + Text.firstLine(r.message())));
    out.flush();
  }
}
