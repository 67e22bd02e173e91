package dev.regcheck.cli;

import dev.regcheck.result.Text;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.profile.ProfileException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code regcheck}: checks, and on request performs, the documented set-up of the OpenShift 4.x
 * internal image registry. Exit codes: 0 every mandatory check passed, 1 one failed, 2 bad input
 * or a harness error.
 */
@Command(name = "regcheck", mixinStandardHelpOptions = true, version = "regcheck 0.1.0",
    description = "Conformance harness for the OpenShift 4.x internal image registry.",
    subcommands = {DemoCommand.class, ClassCommand.class, RunCommand.class, AuditCommand.class, ListCommand.class, LabCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      err.println("regcheck: " + oneLine(e));
      if (Boolean.getBoolean("regcheck.debug")) {
        e.printStackTrace(err);
      }
      err.flush();
      return 2;
    });
    cl.setParameterExceptionHandler((e, a) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("regcheck: " + e.getMessage() + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName()
          + " --help)");
      err.flush();
      return 2;
    });
    return cl.execute(args);
  }

  static String oneLine(Throwable e) {
    if (e instanceof ProfileException || e instanceof IllegalArgumentException || e instanceof LabException
        || e instanceof UncheckedIOException || e instanceof IllegalStateException) {
      return Text.firstLine(e.getMessage());
    }
    return "internal error: " + e.getClass().getSimpleName() + ": " + Text.firstLine(String.valueOf(e.getMessage()))
        + " (run with -Dregcheck.debug=true for the stack trace)";
  }


  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
