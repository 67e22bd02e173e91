package dev.regcheck.nfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("which export groups cover the cluster's nodes")
class ExportCoverageTest {
  private static final Map<String, List<String>> NODES = Map.of(
      "master0.cluster1.example.com", List.of("172.16.50.10"),
      "master1.cluster1.example.com", List.of("172.16.50.11"));

  @Test
  @DisplayName("* and an empty group list cover everyone")
  void everyone() {
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("*")), NODES)).isTrue();
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of()), NODES)).isTrue();
  }

  @Test
  @DisplayName("a network covers the nodes whose addresses it holds, by prefix or by netmask")
  void networks() {
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("172.16.50.0/24")), NODES)).isTrue();
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("172.16.0.0/255.255.0.0")), NODES)).isTrue();
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("172.16.50.8/31")), NODES)).isFalse();
    assertThat(ExportCoverage.covers("10.0.0.0/8", "n", List.of("172.16.50.10"))).isFalse();
    assertThat(ExportCoverage.covers("::1/128", "n", List.of("::1"))).isTrue();
  }

  @Test
  @DisplayName("names, addresses and wildcard patterns; every node must be covered")
  void hosts() {
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("*.cluster1.example.com")), NODES)).isTrue();
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("master?.cluster1.example.com")), NODES)).isTrue();
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("master0.cluster1.example.com", "172.16.50.11")),
        NODES)).isTrue();
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("master0.cluster1.example.com")), NODES)).isFalse();
    assertThat(ExportCoverage.coversAll(new Export("/nfs", List.of("@nodes")), NODES)).isFalse();
    assertThat(ExportCoverage.covers("127.0.0.1", "master0", List.of("127.0.0.1"))).isTrue();
  }
}
