package dev.regcheck.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.cli.Main;
import dev.regcheck.result.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The issue's own acceptance: {@code regcheck class --labs 6 --fault 2=nfs-down --fault 5=san-mismatch}
 * exits 1; labs 1, 3, 4 and 6 give 43 PASS; labs 2 and 5 give exactly their fault-matrix row; nothing
 * the class started (labs' JVMs, registries, router, NFS daemons, network namespaces, mounts) is left.
 */
class ClassRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aClassOfSixWithTwoBrokenLabs(@TempDir Path dir) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the labs' NFS servers need root");
    Set<String> namespacesBefore = namespaces();
    String mountsBefore = Files.readString(Path.of("/proc/self/mounts"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int exit;
    try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      exit = Main.execute("class", "--labs", "6", "--fault", "2=nfs-down", "--fault", "5=san-mismatch",
          "--lang", "en", "--report-dir", dir.toString());
    } finally {
      System.setOut(saved);
    }
    String out = console.toString(StandardCharsets.UTF_8);
    System.out.print(out);
    assertThat(exit).as(out).isEqualTo(1);

    Path classDir = dir.resolve("latest");
    JsonNode report = JSON.readTree(classDir.resolve("class.json").toFile());
    assertThat(report.path("exitCode").asInt()).isEqualTo(1);
    List<JsonNode> labs = toList(report.path("labs"));
    assertThat(labs).extracting(l -> l.path("name").asText())
        .containsExactly("lab-1", "lab-2", "lab-3", "lab-4", "lab-5", "lab-6");
    Map<String, Map<String, Status>> rows = matrixRows();
    for (JsonNode lab : labs) {
      String name = lab.path("name").asText();
      List<String> faults = toList(lab.path("faults")).stream().map(JsonNode::asText).toList();
      Map<String, Status> notPassing = new LinkedHashMap<>();
      lab.path("checks").fields().forEachRemaining(e -> {
        if (!e.getValue().asText().equals("PASS")) {
          notPassing.put(e.getKey(), Status.valueOf(e.getValue().asText()));
        }
      });
      assertThat(lab.path("checks").size()).as(name + " checks").isEqualTo(43);
      assertThat(Files.isRegularFile(classDir.resolve(lab.path("summary").asText()))).as(name + " summary").isTrue();
      assertThat(Files.isRegularFile(classDir.resolve("labs").resolve(name).resolve("latest/checklist.html"))).isTrue();
      assertThat(lab.path("peakRssMiB").asLong()).as(name + " memory").isPositive();
      switch (name) {
        case "lab-2" -> {
          assertThat(faults).containsExactly("nfs-down");
          assertThat(notPassing).as(name).containsExactlyInAnyOrderEntriesOf(rows.get("nfs-down"));
          assertThat(lab.path("exitCode").asInt()).isEqualTo(1);
        }
        case "lab-5" -> {
          assertThat(faults).containsExactly("san-mismatch");
          assertThat(notPassing).as(name).containsExactlyInAnyOrderEntriesOf(rows.get("san-mismatch"));
          assertThat(lab.path("exitCode").asInt()).isEqualTo(1);
        }
        default -> {
          assertThat(faults).isEmpty();
          assertThat(lab.path("totals").toString()).as(name).isEqualTo("{\"PASS\":43}");
          assertThat(lab.path("exitCode").asInt()).isZero();
        }
      }
    }
    String html = Files.readString(classDir.resolve("class.html"));
    assertThat(html).contains("href=\"labs/lab-2/latest/checklist.html#S02.1\"")
        .contains("class=\"FAIL\" title=\"S02.1 FAIL\"").contains("class=\"PASS\" title=\"S02.1 PASS\"");

    // nothing left: no process of the class (its JVMs are this JVM's children), namespace or mount
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(h -> h.pid() + " "
        + h.info().commandLine().orElse("?")).toList()).as("processes left").isEmpty();
    assertThat(namespaces()).as("network namespaces left").isEqualTo(namespacesBefore);
    assertThat(Files.readString(Path.of("/proc/self/mounts"))).as("mounts").isEqualTo(mountsBefore);
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  /** The fault matrix's rows for the two faults, as check id → status of what does not pass. */
  private static Map<String, Map<String, Status>> matrixRows() {
    return FaultMatrixTest.rows().map(Arguments::get).filter(a -> Set.of("nfs-down", "san-mismatch").contains((String) a[0]))
        .collect(Collectors.toMap(a -> (String) a[0], a -> ((FaultMatrixTest.Expect) a[2]).notPassing()));
  }

  private static Set<String> namespaces() throws Exception {
    Path run = Path.of("/run/netns");
    if (!Files.isDirectory(run)) {
      return Set.of();
    }
    try (Stream<Path> names = Files.list(run)) {
      return names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("regcheck-")).collect(Collectors.toSet());
    }
  }
}
