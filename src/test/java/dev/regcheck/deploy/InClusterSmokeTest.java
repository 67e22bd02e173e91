package dev.regcheck.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bin/in-cluster-smoke: regcheck's image, run by podman as a pod runs it (service-account files
 * mounted, KUBERNETES_SERVICE_HOST/PORT naming a lab's API server, deploy/'s roles applied there),
 * audits the lab: exit 0; and nothing of it is left (container, image tag, lab, namespace).
 */
class InClusterSmokeTest {

  @Test
  void theImageAuditsALabAsAPod() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "rootful podman and the lab's NFS server need root");
    for (String tool : List.of("/usr/bin/podman", "/usr/sbin/runc", "/usr/bin/kubectl")) {
      assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed");
    }
    Path log = Files.createTempFile("in-cluster-smoke", ".log");
    try {
      Set<String> namespacesBefore = namespaces();
      ProcessBuilder builder = new ProcessBuilder("bin/in-cluster-smoke").redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("REGCHECK_PREBUILT", "1"); // this build, not a second Maven under the running one
      Process smoke = builder.start();
      assertThat(smoke.waitFor(10, TimeUnit.MINUTES)).as("finished within 10 minutes").isTrue();
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(smoke.exitValue()).as(out).isZero();
      assertThat(out).contains("in-cluster-smoke: PASS: ").contains(", 0 writes").contains("12 of 12 steps pass");
      Process ps = new ProcessBuilder("podman", "ps", "-a", "--format", "{{.Names}} {{.Image}}").redirectErrorStream(true).start();
      String containers = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ps.waitFor();
      assertThat(containers).as("containers left").doesNotContain("regcheck-smoke").doesNotContain("localhost/regcheck:smoke");
      Process images = new ProcessBuilder("podman", "images", "--format", "{{.Repository}}:{{.Tag}}").redirectErrorStream(true).start();
      String tags = new String(images.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      images.waitFor();
      assertThat(tags).as("image tags left").doesNotContain("localhost/regcheck:smoke");
      assertThat(namespaces()).as("lab namespaces left").isEqualTo(namespacesBefore);
      assertThat(Path.of(".regcheck/lab.pid")).as("lab left running").doesNotExist();
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Set<String> namespaces() throws java.io.IOException {
    if (!Files.isDirectory(Path.of("/run/netns"))) {
      return Set.of();
    }
    try (Stream<Path> ns = Files.list(Path.of("/run/netns"))) {
      return ns.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("regcheck-")).collect(Collectors.toSet());
    }
  }
}
