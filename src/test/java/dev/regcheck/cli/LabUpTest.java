package dev.regcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regcheck lab up} as a person uses it, in its own process: kubectl reads and patches the
 * registry config with the written kubeconfig, {@code run --lab sandbox --mode audit} sends zero
 * mutating requests (counted by the lab's own request log), and Ctrl-C (SIGINT) stops every
 * process and removes the lab's files.
 */
class LabUpTest {

  @Test
  @Timeout(180)
  @DisplayName("lab up: kubectl works, audit writes nothing, Ctrl-C leaves nothing behind")
  void labUpAuditAndInterrupt(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("profiles"));
    Files.copy(Path.of("profiles/sandbox.yaml"), home.resolve("profiles/sandbox.yaml"));
    Process lab = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dregcheck.home=" + home, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "lab", "up")
        .redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    try {
      BufferedReader reader = new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        output.add(line);
        if (line.startsWith("Ctrl-C stops the lab")) {
          break;
        }
      }
      assertThat(output).as("lab up output").anyMatch(l -> l.startsWith("embedded lab running: API https://127.0.0.1:"));
      Path kubeconfig = home.resolve(".regcheck/lab/kubeconfig");
      assertThat(kubeconfig).exists();

      if (Files.isExecutable(Path.of("/usr/bin/kubectl"))) {
        String yaml = run("kubectl", "--kubeconfig", kubeconfig.toString(), "get",
            "configs.imageregistry.operator.openshift.io", "cluster", "-o", "yaml");
        assertThat(yaml).contains("managementState: Removed");
        String patched = run("kubectl", "--kubeconfig", kubeconfig.toString(), "patch",
            "configs.imageregistry.operator.openshift.io", "cluster", "--type", "merge",
            "-p", "{\"spec\":{\"managementState\":\"Managed\"}}");
        assertThat(patched).contains("patched");
      }

      Thread.sleep(1500); // the lab writes its request log every second: let it catch up with kubectl
      String before = Files.readString(waitFor(home.resolve(".regcheck/lab-requests.log")));
      String oldHome = System.getProperty("regcheck.home");
      System.setProperty("regcheck.home", home.toString());
      int exit;
      try {
        exit = Main.execute("run", "--lab", "sandbox", "--mode", "audit");
      } finally {
        restore(oldHome);
      }
      assertThat(exit).as("audit run exit code (the lab is only half set up, so checks fail)").isIn(0, 1);
      Thread.sleep(1500); // the lab writes its request log every second
      List<String> after = Files.readAllLines(home.resolve(".regcheck/lab-requests.log"));
      List<String> duringAudit = after.subList(before.lines().toList().size(), after.size());
      assertThat(duringAudit).as("requests the audit run sent").isNotEmpty();
      String user = duringAudit.get(0).split(" ")[0];
      assertThat(duringAudit.stream().filter(l -> l.startsWith(user + " "))
          .filter(l -> l.matches("\\S+ (POST|PUT|PATCH|DELETE) .*")).toList())
          .as("mutating requests by %s during the audit run", user).isEmpty();
    } finally {
      ProcessHandle handle = lab.toHandle();
      List<ProcessHandle> children = handle.descendants().toList();
      new ProcessBuilder("kill", "-INT", Long.toString(handle.pid())).start().waitFor();
      assertThat(lab.waitFor(30, TimeUnit.SECONDS)).as("lab up stops on SIGINT").isTrue();
      for (ProcessHandle child : children) {
        assertThat(child.isAlive()).as("child process %s (%s) after Ctrl-C", child.pid(), child.info().command()).isFalse();
      }
    }
    assertThat(home.resolve(".regcheck/lab")).doesNotExist();
    assertThat(home.resolve(".regcheck/lab.pid")).doesNotExist();
  }

  static Path waitFor(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assumeTrue(Files.exists(file), "request log not written");
    return file;
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
    return out;
  }

  static void restore(String oldHome) {
    if (oldHome == null) {
      System.clearProperty("regcheck.home");
    } else {
      System.setProperty("regcheck.home", oldHome);
    }
  }
}
