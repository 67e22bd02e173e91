package dev.regcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regcheck.lab.faults.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadmeFaultsTest {

  @Test
  @DisplayName("README's fault table has a row for every fault the lab can reproduce")
  void everyFaultHasARow() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(Arrays.stream(Fault.values()).map(Fault::id))
        .allSatisfy(id -> assertThat(readme).as("README row for " + id).contains("\n| `" + id + "` |"));
  }
}
