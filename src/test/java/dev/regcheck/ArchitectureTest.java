package dev.regcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house's layout, read from the sources of {@code src/main/java} (imports and inline fully
 * qualified names both count): no package cycle, every dependency running down the layers below,
 * the lab used from outside only through its face, and no lab file that a newcomer cannot read
 * in one sitting.
 */
class ArchitectureTest {

  /** The harness, lowest first: a package may use only packages of a lower rank. */
  private static final Map<String, Integer> HARNESS = Map.ofEntries(
      Map.entry("catalog", 0), Map.entry("result", 1), Map.entry("tls", 2),
      Map.entry("pki", 3), Map.entry("registry", 3), Map.entry("nfs", 4), Map.entry("profile", 4),
      Map.entry("snapshot", 4),
      Map.entry("client", 5), Map.entry("assertions", 5),
      Map.entry("session", 6), Map.entry("wait", 6), Map.entry("bench", 6),
      Map.entry("fixture", 8), Map.entry("junit", 9), Map.entry("run", 10), Map.entry("cli", 11));

  /** The embedded lab, lowest first; it may use nothing of the harness but pki and tls. */
  private static final Map<String, Integer> LAB = Map.ofEntries(
      Map.entry("lab.core", 0), Map.entry("lab.process", 1), Map.entry("lab.apiserver.objects", 1),
      Map.entry("lab.apiserver.streams", 1),
      Map.entry("lab.nfs", 2), Map.entry("lab.apiserver", 2), Map.entry("lab.operators", 2),
      Map.entry("lab.ingress", 2), Map.entry("lab.registry", 3), Map.entry("lab.containers", 3), Map.entry("lab.kube", 4),
      Map.entry("lab.faults", 4), Map.entry("lab.seed", 5), Map.entry("lab", 6));

  /** What code outside the lab may use of it: the face, and the types its signatures carry. */
  private static final Set<String> LAB_FACE_EXTRA = Set.of(
      "lab.faults.Fault", "lab.core.LabSettings", "lab.core.LabException", "lab.apiserver.RequestLog");

  /** The fixtures (the product) know the lab only by the notes it leaves in the cluster. */
  private static final Set<String> FIXTURE_MAY_USE_OF_LAB = Set.of("lab.LabNotes");

  private static final int LAB_FILE_LINES = 420;

  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+dev\\.regcheck\\.?([\\w.]*);");
  private static final Pattern REF = Pattern.compile("\\bdev\\.regcheck\\.((?:[a-z_]\\w*\\.)*[a-z_]\\w*)\\.([A-Z]\\w*)");

  /** package -> used package -> the class-level uses ("File -> lab.core.Times"), for messages. */
  private static final Map<String, Map<String, Set<String>>> USES = new TreeMap<>();
  private static final Map<Path, Integer> LAB_FILES = new TreeMap<>();

  @BeforeAll
  static void read() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(ArchitectureTest::readOne);
    }
    assertThat(USES).as("packages read from %s", MAIN.toAbsolutePath()).containsKeys("lab", "fixture", "cli");
  }

  private static void readOne(Path file) {
    try {
      String text = Files.readString(file);
      Matcher p = PACKAGE.matcher(text);
      if (!p.find()) {
        return;
      }
      String pkg = p.group(1);
      USES.computeIfAbsent(pkg, k -> new TreeMap<>());
      String body = text.substring(p.end());
      Matcher m = REF.matcher(body);
      while (m.find()) {
        if (!m.group(1).equals(pkg)) {
          USES.get(pkg).computeIfAbsent(m.group(1), k -> new TreeSet<>())
              .add(file.getFileName().toString().replace(".java", "") + " -> " + m.group(1) + "." + m.group(2));
        }
      }
      if (pkg.equals("lab") || pkg.startsWith("lab.")) {
        LAB_FILES.put(file, (int) text.lines().count());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void noPackageCycle() {
    assertThat(cycles()).as("package cycles of src/main/java (each one a dependency running back up)").isEmpty();
  }

  @Test
  void everyPackageHasItsPlaceInTheLayers() {
    List<String> unplaced = USES.keySet().stream().filter(p -> !HARNESS.containsKey(p) && !LAB.containsKey(p)).toList();
    assertThat(unplaced).as("packages this test does not place in a layer: give each a rank").isEmpty();
  }

  @Test
  void dependenciesRunDown() {
    List<String> upward = new ArrayList<>();
    USES.forEach((from, targets) -> targets.forEach((to, uses) -> {
      boolean fromLab = LAB.containsKey(from);
      boolean toLab = LAB.containsKey(to);
      if (fromLab && toLab && LAB.get(to) >= LAB.get(from)) {
        upward.add(from + " -> " + to + " " + uses);
      } else if (fromLab && !toLab && !Set.of("pki", "tls").contains(to)) {
        upward.add(from + " -> " + to + " (the lab uses nothing of the harness but pki and tls) " + uses);
      } else if (!fromLab && !toLab && HARNESS.containsKey(from) && HARNESS.containsKey(to)
          && HARNESS.get(to) >= HARNESS.get(from)) {
        upward.add(from + " -> " + to + " " + uses);
      }
    }));
    assertThat(upward).as("dependencies that run up or sideways").isEmpty();
  }

  @Test
  void theLabIsUsedOnlyThroughItsFace() {
    List<String> past = new ArrayList<>();
    USES.forEach((from, targets) -> {
      if (LAB.containsKey(from)) {
        return;
      }
      targets.forEach((to, uses) -> uses.forEach(use -> {
        String used = use.substring(use.indexOf(" -> ") + 4);
        if (!LAB.containsKey(to)) {
          return;
        }
        boolean allowed = from.equals("fixture") ? FIXTURE_MAY_USE_OF_LAB.contains(used)
            : from.equals("cli") && (to.equals("lab") || LAB_FACE_EXTRA.contains(used));
        if (!allowed) {
          past.add(from + ": " + use);
        }
      }));
    });
    assertThat(past).as("uses of the lab past its face (only cli starts labs; fixtures read LabNotes)").isEmpty();
  }

  @Test
  void noLabFileIsOverLong() {
    Map<Path, Integer> over = new TreeMap<>();
    LAB_FILES.forEach((f, n) -> {
      if (n > LAB_FILE_LINES) {
        over.put(f, n);
      }
    });
    assertThat(over).as("lab files over %d lines", LAB_FILE_LINES).isEmpty();
    Map<Path, Long> perFolder = new HashMap<>();
    LAB_FILES.keySet().forEach(f -> perFolder.merge(f.getParent(), 1L, Long::sum));
    assertThat(perFolder.values()).as("files per lab folder").allMatch(n -> n <= 15);
  }

  /** Strongly connected sets of more than one package (Tarjan). */
  private static List<Set<String>> cycles() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : USES.keySet()) {
      if (!index.containsKey(v)) {
        strongConnect(v, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
      Set<String> onStack, List<Set<String>> out, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : USES.getOrDefault(v, Map.of()).keySet()) {
      if (!index.containsKey(w)) {
        strongConnect(w, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> scc = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        scc.add(w);
      } while (!w.equals(v));
      if (scc.size() > 1) {
        out.add(scc);
      }
    }
  }
}
