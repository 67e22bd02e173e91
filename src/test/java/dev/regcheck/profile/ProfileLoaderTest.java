package dev.regcheck.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.time.LocalDate;

class ProfileLoaderTest {

  static final String MINIMAL = """
      name: lab1
      nfs: {server: 10.0.0.5, path: /nfs}
      """;

  final ProfileLoader loader = new ProfileLoader(Map.of(), Map.of());

  @Test
  @DisplayName("the shipped profiles load, with the document's values")
  void shippedProfilesLoad() {
    LabProfile sandbox = loader.load(Path.of("profiles/sandbox.yaml"));
    assertThat(sandbox.embedded()).isTrue();
    assertThat(sandbox.storage().pvName()).isEqualTo("internal-registry");
    LabProfile cluster1 = loader.load(Path.of("profiles/cluster1.example.yaml"));
    assertThat(cluster1.cluster().apiUrl()).isEqualTo("https://api.cluster1.xiaohui.cn:6443");
    assertThat(cluster1.identity().user()).isEqualTo("lixiaohui");
    assertThat(cluster1.nfs().server()).isEqualTo("172.16.50.200");
    assertThat(cluster1.storage().capacity()).isEqualTo("200Gi");
    assertThat(cluster1.storage().pvcName()).isEqualTo("internal-registry-pvc");
    assertThat(cluster1.identity().token()).hasToString("{env: REGCHECK_TOKEN}");
    assertThat(cluster1.source()).isEqualTo(Path.of("profiles/cluster1.example.yaml"));
  }

  @Test
  @DisplayName("defaults are the document's names and sensible timeouts")
  void defaults() {
    LabProfile p = loader.parseText("p.yaml", MINIMAL, null);
    assertThat(p.storage().pvName()).isEqualTo("internal-registry");
    assertThat(p.storage().claim()).isEqualTo("internal-registry-pvc");
    assertThat(p.registry().namespace()).isEqualTo("openshift-image-registry");
    assertThat(p.timeouts().settle()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.timeouts().poll()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.lang()).isEqualTo("en");
  }

  @Test
  @DisplayName("an unknown field is named with the fields that are known")
  void unknownField() {
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "storage: {pvc: x, capcity: 1Gi}\n", null))
        .isInstanceOf(ProfileException.class)
        .hasMessageStartingWith("p.yaml: field 'storage.capcity': unknown field; expected one of [")
        .hasMessageContaining("capacity")
        .hasMessageNotContaining("\n");
  }

  @Test
  @DisplayName("a missing required field, a malformed size, duration, URL or name each give one line")
  void malformedValues() {
    assertThatThrownBy(() -> loader.parseText("p.yaml", "name: x\nnfs: {path: /nfs}\n", null))
        .hasMessage("p.yaml: field 'nfs.server': is required");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "storage: {capacity: lots}\n", null))
        .hasMessage("p.yaml: field 'storage.capacity': expected a positive size such as 200Gi, got 'lots'");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "timeouts: {settle: 5 minutes}\n", null))
        .hasMessageStartingWith("p.yaml: field 'timeouts.settle': expected a duration");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "cluster: {apiUrl: http://x:6443}\n", null))
        .hasMessage("p.yaml: field 'cluster.apiUrl': expected https://host:port, got 'http://x:6443'");
    assertThatThrownBy(() -> loader.parseText("p.yaml", "name: Lab_1\nnfs: {server: a, path: /n}\n", null))
        .hasMessageStartingWith("p.yaml: field 'name': expected a lower-case name");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "nfs: {server: a, path: nfs}\n", null))
        .isInstanceOf(ProfileException.class);
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "storage: [a, b]\n", null))
        .hasMessage("p.yaml: field 'storage': expected a mapping, got a list");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "identity: {user: 'a:b'}\n", null))
        .hasMessageContaining("identity.user");
  }

  @Test
  @DisplayName("exposure: the document's values by default, the host from the apps domain; each mistake one line naming the field")
  void exposure(@TempDir Path dir) throws Exception {
    LabProfile p = loader.parseText("p.yaml", MINIMAL + "cluster:\n  appsDomain: apps.c1.example.com\n", dir);
    assertThat(p.exposure().routes()).isEqualTo("both");
    assertThat(p.exposure().route()).isEqualTo(new LabProfile.CustomRoute("public-routes", "registry.apps.c1.example.com", "registry"));
    assertThat(p.exposure().certificate().keyBits()).isEqualTo(4096);
    assertThat(p.exposure().certificate().days()).isEqualTo(3650);
    assertThat(p.exposure().certificate().subject()).isEqualTo("/C=CN/ST=Shanghai/L=Shanghai/O=Company/OU=SH/CN=xiaohui.cn");
    assertThat(p.exposure().trustAnchors()).isEqualTo(Path.of("/etc/pki/ca-trust/source/anchors"));
    Map<String, String> bad = Map.of(
        "exposure:\n  routes: all\n", "field 'exposure.routes': expected one of [default, custom, both, none], got 'all'",
        "exposure:\n  route:\n    name: default-route\n", "field 'exposure.route.name': 'default-route' is the operator's own route",
        "exposure:\n  certificate:\n    keyBits: 1024\n", "field 'exposure.certificate.keyBits': expected a whole number from 2048 to 16384, got '1024'",
        "exposure:\n  certificate:\n    subject: CN=xiaohui.cn\n", "field 'exposure.certificate.subject': expected openssl's -subj form",
        "exposure:\n  certificate:\n    rootKey: /root/ca.key\n", "field 'exposure.certificate.rootKey': secrets are never inline",
        "exposure:\n  certifcate: {}\n", "field 'exposure.certifcate': unknown field");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + e.getKey(), dir))
          .isInstanceOf(ProfileException.class).hasMessageContaining(e.getValue());
    }
    Path key = Files.writeString(dir.resolve("root.key"), "not read at load time");
    LabProfile withKey = new ProfileLoader(Map.of(), Map.of("exposure.certificate.rootKey.file", key.toString()))
        .parseText("p.yaml", MINIMAL, dir);
    assertThat(withKey.exposure().certificate().rootKey()).isEqualTo(new SecretRef(null, key.toString()));
    assertThatThrownBy(() -> new ProfileLoader(Map.of(), Map.of("exposure.certificate.rootKey", "-----BEGIN"))
        .parseText("p.yaml", MINIMAL, dir)).hasMessageContaining("secrets are never given inline");
  }

  @Test
  @DisplayName("a known-issues file: entries read, each problem one line naming entry and field; <name>.known-issues.yaml by default")
  void knownIssues(@TempDir Path dir) throws Exception {
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, "- check: S06.3\n  reason: restarts after the NFS maintenance (OPS-1)\n  until: 2026-12-31\n");
    LabProfile p = loader.parseText("p.yaml", MINIMAL + "knownIssues: " + ok + "\n", dir);
    assertThat(p.knownIssue("S06.3")).get().satisfies(k -> {
      assertThat(k.reason()).isEqualTo("restarts after the NFS maintenance (OPS-1)");
      assertThat(k.activeOn(LocalDate.parse("2026-12-31"))).isTrue();
      assertThat(k.activeOn(LocalDate.parse("2027-01-01"))).isFalse();
    });
    Map<String, String> bad = Map.of(
        "- check: S99.1\n  reason: x\n  until: 2026-12-31\n", "field '[0].check': expected a check id of the catalog",
        "- check: S06.3\n  until: 2026-12-31\n", "field '[0].reason': is required",
        "- check: S06.3\n  reason: x\n  until: next week\n", "field '[0].until': expected a date such as 2026-12-31, got 'next week'",
        "- check: S06.3\n  reason: x\n  until: 2026-12-31\n  owner: me\n", "field '[0].owner': unknown field",
        "check: S06.3\n", "expected a list of {check, reason, until}");
    int i = 0;
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Path f = dir.resolve("bad" + i++ + ".yaml");
      Files.writeString(f, e.getKey());
      assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "knownIssues: " + f + "\n", dir))
          .isInstanceOf(ProfileException.class).hasMessageContaining(e.getValue()).hasMessageStartingWith(f.toString());
    }
    Files.writeString(dir.resolve("lab1.known-issues.yaml"), Files.readString(ok));
    assertThat(loader.parseText("p.yaml", MINIMAL, dir).knownIssues()).as("lab1.known-issues.yaml beside the profile").hasSize(1);
  }

  @Test
  @DisplayName("the S08 settings: host map, access, test image repository, tag and source, each refused with one line")
  void registryAccessSettings() {
    LabProfile p = loader.parseText("p.yaml", MINIMAL + "cluster: {hosts: {'image-registry.openshift-image-registry.svc:5000': "
        + "'10.0.0.12:5000', 'default-route-openshift-image-registry.apps.x': 10.0.0.13}}\n"
        + "testImage: {repository: lab/hello, tag: v1, source: 'docker.io/library/hello-world:latest'}\n", null);
    assertThat(p.cluster().hosts()).containsEntry("image-registry.openshift-image-registry.svc:5000", "10.0.0.12:5000")
        .containsEntry("default-route-openshift-image-registry.apps.x", "10.0.0.13");
    assertThat(p.testImage()).isEqualTo(new LabProfile.TestImage("lab/hello", "v1",
        "docker.io/library/hello-world:latest", "docker"));
    assertThat(p.registry().access()).isEqualTo("auto");
    assertThat(p.registry().internalHostname()).isEqualTo("image-registry.openshift-image-registry.svc:5000");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "cluster: {hosts: {'svc:5000': 'registry.local:5000'}}\n", null))
        .hasMessageStartingWith("p.yaml: field 'cluster.hosts': address map entry \"svc:5000\" -> \"registry.local:5000\" is invalid");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "testImage: {repository: a/b/c}\n", null))
        .hasMessageStartingWith("p.yaml: field 'testImage.repository': expected <project>/<image>");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "testImage: {tag: 'no tag'}\n", null))
        .hasMessageStartingWith("p.yaml: field 'testImage.tag'");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "testImage: {source: hello-world}\n", null))
        .hasMessageStartingWith("p.yaml: field 'testImage.source': expected a full image reference");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "registry: {access: vpn}\n", null))
        .hasMessageStartingWith("p.yaml: field 'registry.access': expected one of");
    assertThat(new ProfileLoader(Map.of(), Map.of("cluster.hosts", "svc=127.0.0.1,svc:5000=127.0.0.1:4000"))
        .parseText("p.yaml", MINIMAL, null).cluster().hosts()).containsEntry("svc", "127.0.0.1")
        .containsEntry("svc:5000", "127.0.0.1:4000");
  }

  @Test
  @DisplayName("secrets are references, never inline values")
  void secretsAreNeverInline() {
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "identity: {token: sha256~abcdef}\n", null))
        .hasMessage("p.yaml: field 'identity.token': secrets are never inline; expected {env: NAME} or {file: PATH}")
        .hasMessageNotContaining("sha256~abcdef");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "identity: {token: {env: A, file: b}}\n", null))
        .hasMessageContaining("exactly one of");
    assertThatThrownBy(() -> new ProfileLoader(Map.of(), Map.of("identity.token", "x")).parseText("p.yaml", MINIMAL, null))
        .hasMessageContaining("never given inline");
  }

  @Test
  @DisplayName("precedence: file < environment < command line")
  void precedence() {
    String yaml = MINIMAL + "timeouts: {settle: 1m}\n";
    assertThat(loader.parseText("p", yaml, null).timeouts().settle()).isEqualTo(Duration.ofMinutes(1));
    ProfileLoader env = new ProfileLoader(Map.of("REGCHECK_TIMEOUTS_SETTLE", "2m"), Map.of());
    assertThat(env.parseText("p", yaml, null).timeouts().settle()).isEqualTo(Duration.ofMinutes(2));
    ProfileLoader both = new ProfileLoader(Map.of("REGCHECK_TIMEOUTS_SETTLE", "2m"), Map.of("timeouts.settle", "3m"));
    assertThat(both.parseText("p", yaml, null).timeouts().settle()).isEqualTo(Duration.ofMinutes(3));
    ProfileLoader hot = new ProfileLoader(Map.of("REGCHECK_TIMEOUTS_HOT_LOOP_WINDOW", "20s"), Map.of());
    assertThat(hot.parseText("p", yaml, null).timeouts().hotLoopWindow()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("--set naming a field that does not exist is refused")
  void unknownOverride() {
    assertThatThrownBy(() -> new ProfileLoader(Map.of(), Map.of("timeouts.setle", "1m")).parseText("p.yaml", MINIMAL, null))
        .hasMessage("p.yaml: field 'timeouts.setle': --set names a field the profile does not have");
  }

  @Test
  @DisplayName("a missing file and a file that is not YAML are named")
  void badFiles(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml")))
        .hasMessage(dir.resolve("nope.yaml") + ": no such profile file");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: [unclosed\n");
    assertThatThrownBy(() -> loader.load(bad)).hasMessageStartingWith(bad + ": not valid YAML");
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
    assertThatThrownBy(() -> loader.load(empty)).hasMessageContaining("is empty");
  }

  @Test
  @DisplayName("a secret file reference resolves relative to the profile; its value never shows in toString")
  void secretFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("token"), "sha256~secretvalue\n");
    Path p = Files.writeString(dir.resolve("p.yaml"), MINIMAL + "identity: {token: {file: token}}\n");
    LabProfile profile = loader.load(p);
    assertThat(profile.identity().token().resolve(Map.of())).contains("sha256~secretvalue");
    assertThat(profile.toString()).doesNotContain("secretvalue");
  }

  @Test
  @DisplayName("secret references are checked: a missing file or a non-text value is named")
  void secretReferencesAreChecked(@TempDir Path dir) throws Exception {
    Path p = Files.writeString(dir.resolve("p.yaml"), MINIMAL + "identity: {token: {file: nope}}\n");
    assertThatThrownBy(() -> loader.load(p)).hasMessage(p + ": field 'identity.token.file': file "
        + dir.resolve("nope") + " does not exist");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "identity: {token: {file: null}}\n", null))
        .hasMessageStartingWith("p.yaml: field 'identity.token.file': expected a name");
  }

  @Test
  @DisplayName("the YAML is bound strictly: a key given twice, a list or mapping where one value belongs, each one line")
  void shapesAreStrict() {
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "name: y\n", null))
        .isInstanceOf(ProfileException.class).hasMessageStartingWith("p.yaml: not valid YAML")
        .hasMessageContaining("Duplicate field 'name'").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> loader.parseText("p.yaml", "name: x\nnfs: {server: [a, b], path: /nfs}\n", null))
        .hasMessage("p.yaml: field 'nfs.server': expected a single value, got a list");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "cluster: {nodes: a}\n", null))
        .hasMessage("p.yaml: field 'cluster.nodes': expected a list, got 'a'");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "cluster: {hosts: [a]}\n", null))
        .hasMessage("p.yaml: field 'cluster.hosts': expected a mapping of host[:port] to address[:port], got a list");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "cluster: {hosts: {svc: {a: b}}}\n", null))
        .hasMessage("p.yaml: field 'cluster.hosts.svc': expected an address such as 10.0.0.5 or 127.0.0.1:5000");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "identity: {token: {env: 5}}\n", null))
        .hasMessage("p.yaml: field 'identity.token.env': expected a name, got '5'");
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "identity: {token: {env: A, path: b}}\n", null))
        .hasMessage("p.yaml: field 'identity.token': expected exactly one of {env: NAME} or {file: PATH}, got [env, path]");
    assertThatThrownBy(() -> loader.parseText("p.yaml", "[a, b]\n", null))
        .hasMessage("p.yaml: expected a mapping, got a list");
  }

  @Test
  void anAbsurdDurationIsNamedNotThrown() {
    assertThatThrownBy(() -> loader.parseText("p.yaml", MINIMAL + "timeouts: {settle: 99999999999999999999s}\n", null))
        .hasMessageStartingWith("p.yaml: field 'timeouts.settle': expected a duration");
  }

  @Test
  void durations() {
    assertThat(ProfileLoader.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ProfileLoader.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ProfileLoader.parseDuration("5")).isNull();
    assertThat(ProfileLoader.parseDuration("s")).isNull();
  }
}
