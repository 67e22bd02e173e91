package dev.regcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/** The lab answers kubectl (legacy discovery, short names, merge patch) with its kubeconfig. */
@EmbeddedLabTest(classLab = false)
class KubectlTest {
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  @TempDir
  Path workDir;
  private EmbeddedLab lab;

  @BeforeEach
  void startLab(TestLabs labs) throws LabException {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at " + KUBECTL);
    lab = labs.start(Fault.REMOVED);
  }

  @Test
  @DisplayName("kubectl reads the config, co, pv/pvc and pods, and merge-patches the config")
  void kubectlWorks() throws Exception {
    assertThat(kubectl("get", "configs.imageregistry.operator.openshift.io", "cluster", "-o", "yaml"))
        .contains("managementState: Removed").contains("kind: Config");
    assertThat(kubectl("get", "co", "image-registry")).contains("image-registry");
    assertThat(kubectl("get", "pv,pvc", "-A")).doesNotContain("error");
    assertThat(kubectl("get", "pods", "-n", "openshift-image-registry", "-l", "docker-registry=default"))
        .doesNotContain("error");
    assertThat(kubectl("patch", "configs.imageregistry.operator.openshift.io", "cluster", "--type",
        "merge", "-p", "{\"spec\":{\"managementState\":\"Managed\"}}")).contains("patched");
    assertThat(kubectl("get", "configs.imageregistry.operator.openshift.io", "cluster", "-o",
        "jsonpath={.spec.managementState}")).isEqualTo("Managed");
    assertThat(lab.mutatingRequestsBy(lab.userActor())).isEqualTo(1);
  }

  private String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig",
        lab.kubeconfig().toString(), "--cache-dir", workDir.resolve("kube-cache").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HOME", workDir.toString());
    builder.environment().remove("KUBECONFIG");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }
}
