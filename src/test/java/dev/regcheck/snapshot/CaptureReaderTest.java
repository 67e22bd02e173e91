package dev.regcheck.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three capture layouts, as real tools write them (capture-layouts: oc's inspect path rules,
 * the Insights operator's archive), read from folders and archives; bad input is one line naming
 * the path and what is wrong, and nothing is written outside the scratch folder.
 */
class CaptureReaderTest {
  /** Real captures (public repositories; not copied here: their README says why). Absent in a user's clone. */
  static final Path CAPTURES = Path.of("../shared/captures");

  @TempDir
  Path dir;

  private Path scratch() throws IOException {
    return Files.createDirectories(dir.resolve("scratch-" + System.nanoTime()));
  }

  /** A must-gather tree as oc 4.8+ writes it: a digest-named image folder, Lists beside single files, `---` first. */
  private Path mustGather() throws IOException {
    Path top = dir.resolve("must-gather.local.5171234567890");
    Path data = top.resolve("quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-" + "ab".repeat(32));
    write(top.resolve("timestamp"), "2021-08-03 10:12:00.0169 +0000 UTC m=+0.38\n2021-08-03 10:14:00 +0000 UTC m=+120\n");
    write(data.resolve("version"), "openshift/must-gather\n4.0-art-dev\n");
    write(data.resolve("cluster-scoped-resources/imageregistry.operator.openshift.io/configs/cluster.yaml"), """
        ---
        apiVersion: imageregistry.operator.openshift.io/v1
        kind: Config
        metadata:
          name: cluster
          resourceVersion: "41"
        spec:
          managementState: Managed
          storage:
            pvc:
              claim: internal-registry-pvc
        """);
    write(data.resolve("cluster-scoped-resources/config.openshift.io/clusterversions/version.yaml"), """
        ---
        apiVersion: config.openshift.io/v1
        kind: ClusterVersion
        metadata: {name: version}
        spec: {clusterID: 0a1b2c3d-0000-4000-8000-000000000001}
        status:
          desired: {version: 4.14.8}
        """);
    write(data.resolve("cluster-scoped-resources/rbac.authorization.k8s.io/clusterroles/system:registry.yaml"), """
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: "system:registry"}
        """);
    Path ns = data.resolve("namespaces/openshift-image-registry");
    write(ns.resolve("core/pods.yaml"), """
        ---
        apiVersion: v1
        kind: PodList
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: image-registry-66646548f6-jl2pp, namespace: openshift-image-registry, resourceVersion: "7"}
        metadata: {resourceVersion: "9"}
        """);
    write(ns.resolve("pods/image-registry-66646548f6-jl2pp/image-registry-66646548f6-jl2pp.yaml"), """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: image-registry-66646548f6-jl2pp, namespace: openshift-image-registry, resourceVersion: "8"}
        """);
    // oc asks for logs with timestamps, and creates previous.log before it knows there is none
    write(ns.resolve("pods/image-registry-66646548f6-jl2pp/registry/registry/logs/previous.log"), "");
    write(ns.resolve("pods/image-registry-66646548f6-jl2pp/registry/registry/logs/current.log"),
        "2021-08-03T10:11:58.123456789Z time=\"2021-08-03T10:11:58Z\" level=info msg=\"listening on [::]:5000\"\n"
            + "2021-08-03T10:11:59.5+02:00 level=warning msg=\"no storage\"\n");
    write(ns.resolve("route.openshift.io/routes.yaml"), "---\napiVersion: route.openshift.io/v1\nitems: null\nkind: RouteList\n"
        + "metadata:\n  resourceVersion: \"9\"\n");
    write(ns.resolve("core/persistentvolumeclaims.yaml"), "---\napiVersion: v1\nkind: PersistentVolumeClaimList\nitems: []\n");
    // the Insights archive a 4.10+ must-gather copies: never read as objects of this tree
    write(data.resolve("insights-data/config/clusteroperator/image-registry.json"), "{\"metadata\":{\"name\":\"x\"}}");
    return top;
  }

  @Test
  void mustGatherTree() throws Exception {
    Capture capture = CaptureReader.read(mustGather(), scratch());
    assertThat(capture.kind()).isEqualTo(Capture.Kind.MUST_GATHER);
    assertThat(capture.capturedAt()).contains(Instant.parse("2021-08-03T10:12:00Z"));
    assertThat(capture.clusterVersion()).contains("4.14.8"); // the version file is the gather image's, not the cluster's
    assertThat(capture.clusterId()).contains("0a1b2c3d-0000-4000-8000-000000000001");
    assertThat(capture.objects()).extracting(CapturedObject::key).containsExactlyInAnyOrder(
        "imageregistry.operator.openshift.io/Config//cluster", "config.openshift.io/ClusterVersion//version",
        "rbac.authorization.k8s.io/ClusterRole//system:registry",
        "/Pod/openshift-image-registry/image-registry-66646548f6-jl2pp");
    // the List and the single file hold the same pod: the newer one is kept
    assertThat(capture.objects().stream().filter(o -> o.kind().equals("Pod")).findFirst().orElseThrow()
        .object().path("metadata").path("resourceVersion").asText()).isEqualTo("8");
    // an empty List (items: null or []) proves absence; a kind with no List file proves nothing
    assertThat(capture.holdsAll("route.openshift.io", "Route", "openshift-image-registry")).isTrue();
    assertThat(capture.holdsAll("", "PersistentVolumeClaim", "openshift-image-registry")).isTrue();
    assertThat(capture.holdsAll("", "Pod", "openshift-image-registry")).isTrue();
    assertThat(capture.holdsAll("", "Secret", "openshift-image-registry")).isFalse();
    // the gather script inspects every PersistentVolume (one file each): a must-gather holds them all
    assertThat(capture.holdsAll("", "PersistentVolume", null)).isTrue();
    // the registry's log, as the pod's container wrote it (oc's timestamps taken off); an empty previous.log is no log
    assertThat(capture.logs()).containsOnlyKeys(new Capture.PodLog("openshift-image-registry",
        "image-registry-66646548f6-jl2pp", false));
    assertThat(capture.logs().values().iterator().next()).containsExactly(
        "time=\"2021-08-03T10:11:58Z\" level=info msg=\"listening on [::]:5000\"", "level=warning msg=\"no storage\"");
  }

  @Test
  void mustGatherArchiveReadsAsItsFolder() throws Exception {
    Path folder = mustGather();
    Path archive = dir.resolve("must-gather.tar.gz");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), dir.relativize(file).toString());
          tar.putArchiveEntry(entry);
          Files.copy(file, tar);
          tar.closeArchiveEntry();
        }
      }
    }
    Path scratch = scratch();
    Capture fromArchive = CaptureReader.read(archive, scratch);
    Capture fromFolder = CaptureReader.read(folder, scratch());
    assertThat(fromArchive.kind()).isEqualTo(Capture.Kind.MUST_GATHER);
    assertThat(fromArchive.path()).isEqualTo(archive);
    assertThat(fromArchive.objects()).extracting(CapturedObject::key)
        .containsExactlyInAnyOrderElementsOf(fromFolder.objects().stream().map(CapturedObject::key).toList());
    assertThat(fromArchive.complete()).isEqualTo(fromFolder.complete());
    assertThat(fromArchive.capturedAt()).isEqualTo(fromFolder.capturedAt());
  }

  @Test
  void ocGetFiles() throws Exception {
    Path folder = dir.resolve("pasted");
    write(folder.resolve("config.yaml"), """
        ---
        apiVersion: imageregistry.operator.openshift.io/v1
        kind: Config
        metadata: {name: cluster}
        ---
        apiVersion: config.openshift.io/v1
        kind: ClusterOperator
        metadata: {name: image-registry}
        """);
    write(folder.resolve("pvs.json"), "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\","
        + "\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"internal-registry\"}}]}");
    write(folder.resolve("notes.txt"), "what the student typed");
    Capture capture = CaptureReader.read(folder, scratch());
    assertThat(capture.kind()).isEqualTo(Capture.Kind.OC_GET);
    assertThat(capture.objects()).extracting(CapturedObject::key).containsExactlyInAnyOrder(
        "imageregistry.operator.openshift.io/Config//cluster", "config.openshift.io/ClusterOperator//image-registry",
        "/PersistentVolume//internal-registry");
    // `oc get pv -o json` is a List of mixed kinds ("List"): it proves nothing about what is absent
    assertThat(capture.complete()).isEmpty();
    assertThat(CaptureReader.read(folder.resolve("config.yaml"), scratch()).objects()).hasSize(2);
  }

  @Test
  void realCaptures() throws Exception {
    assumeTrue(Files.isDirectory(CAPTURES), "the real captures are not in this checkout (" + CAPTURES + ")");
    // 4.7.16 sample: the archive's own layout, typed gets without apiVersion/kind; conditional/namespaces/ is Insights'
    Capture insights47 = CaptureReader.read(CAPTURES.resolve("insights-operator-sample-4.7.16"), scratch());
    assertThat(insights47.kind()).isEqualTo(Capture.Kind.INSIGHTS);
    assertThat(insights47.objects()).extracting(CapturedObject::key).contains(
        "imageregistry.operator.openshift.io/Config//cluster", "config.openshift.io/ClusterOperator//image-registry",
        "operator.openshift.io/IngressController/openshift-ingress-operator/default",
        "image.openshift.io/ImageStream/openshift-cluster-samples-operator/example");
    assertThat(insights47.notes()).anyMatch(n -> n.contains("anonymised"));
    // 4.4.16: the registry config at its pre-4.7 path
    Capture insights44 = CaptureReader.read(CAPTURES.resolve("insights-operator-sample-4.4.16"), scratch());
    assertThat(insights44.objects()).extracting(CapturedObject::key).contains(
        "imageregistry.operator.openshift.io/Config//cluster", "imageregistry.operator.openshift.io/ImagePruner//cluster");
    // single-node 4.13: the registry Removed; one file per object, so nothing is held whole
    Capture sno = CaptureReader.read(CAPTURES.resolve("resourcewatch-sno-4.13-platform-none/v2-ci-state-removed-settled"),
        scratch());
    assertThat(sno.kind()).isEqualTo(Capture.Kind.MUST_GATHER);
    assertThat(sno.clusterVersion()).hasValueSatisfying(v -> assertThat(v).startsWith("4.13."));
    assertThat(sno.clusterId()).contains("f6f009e8-52a4-44f0-9da3-8f1555e3132b");
    assertThat(sno.complete()).isEmpty(); // shaped like a must-gather, but not made by one: it proves no absence
    assertThat(sno.objects()).extracting(CapturedObject::key).contains("config.openshift.io/ClusterOperator//image-registry");
  }

  @Test
  void badInputIsOneLineNamingThePath() throws Exception {
    Path missing = dir.resolve("nowhere");
    refused(missing, missing + ": no such file or folder");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    refused(empty, empty + ": empty");
    Path unknown = dir.resolve("unknown");
    write(unknown.resolve("readme.txt"), "hello");
    refused(unknown, unknown + ": no must-gather tree, Insights archive or .yaml/.json files of oc get in it");
    Path malformed = dir.resolve("malformed");
    write(malformed.resolve("config.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n");
    refused(malformed, malformed.resolve("config.yaml") + ": not valid YAML at line");
    Path noObjects = dir.resolve("no-objects");
    write(noObjects.resolve("list.yaml"), "- a\n- b\n");
    refused(noObjects, noObjects + ": no Kubernetes objects in this oc get files");
    Path text = dir.resolve("capture.zip");
    write(text, "not an archive");
    refused(text, text + ": not a folder, a .tar/.tar.gz archive or a .yaml/.json file");

    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path linked = dir.resolve("linked");
    write(linked.resolve("config.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
    Files.createSymbolicLink(linked.resolve("escape"), outside);
    refused(linked, linked.resolve("escape") + ": a link to " + outside.toRealPath() + ", outside " + linked);
  }

  @Test
  void hostileArchivesWriteNothingOutside() throws Exception {
    Path parent = Files.createDirectories(dir.resolve("victim"));
    for (String member : List.of("../escaped.yaml", "a/../../escaped.yaml", "/tmp/regcheck-absolute.yaml")) {
      Path archive = tar(dir.resolve("bad-" + Math.abs(member.hashCode()) + ".tar"), member, "kind: Namespace\n", null);
      Path scratch = Files.createDirectories(parent.resolve("scratch"));
      assertThatThrownBy(() -> CaptureReader.read(archive, scratch)).isInstanceOf(CaptureException.class)
          .hasMessageStartingWith(archive + ": member " + member).hasMessageNotContaining("\n");
      assertThat(parent.resolve("escaped.yaml")).doesNotExist();
      assertThat(dir.resolve("escaped.yaml")).doesNotExist();
      assertThat(Path.of("/tmp/regcheck-absolute.yaml")).doesNotExist();
    }
    Path link = tar(dir.resolve("link.tar"), "config/evil", null, "../../../etc/passwd");
    refused(link, link + ": member config/evil links to ../../../etc/passwd, outside the archive");

    // a member that says it is 2 GiB: refused from its header, before a byte is written
    Path huge = dir.resolve("huge.tar");
    TarArchiveEntry entry = new TarArchiveEntry("config/huge.json");
    entry.setSize(2L << 30);
    byte[] header = new byte[TarConstants.DEFAULT_RCDSIZE];
    entry.writeEntryHeader(header);
    Files.write(huge, header);
    Path scratch = scratch();
    refused(huge, huge + ": member config/huge.json is 2048 MiB, more than a capture's file can be");
    try (Stream<Path> left = Files.walk(scratch)) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
  }

  private Path tar(Path archive, String member, String content, String symlinkTarget) throws IOException {
    if (symlinkTarget != null) {
      try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        TarArchiveEntry entry = new TarArchiveEntry(member, TarConstants.LF_SYMLINK);
        entry.setLinkName(symlinkTarget);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
      return archive;
    }
    // commons-compress cleans names it writes (a leading '/' dropped); a hostile archive does not: the header is made by hand
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry("placeholder");
    entry.setSize(bytes.length);
    byte[] header = new byte[TarConstants.DEFAULT_RCDSIZE];
    entry.writeEntryHeader(header);
    java.util.Arrays.fill(header, 0, TarConstants.NAMELEN, (byte) 0);
    byte[] name = member.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, header, 0, name.length);
    int checksumAt = TarConstants.NAMELEN + TarConstants.MODELEN + TarConstants.UIDLEN + TarConstants.GIDLEN
        + TarConstants.SIZELEN + TarConstants.MODTIMELEN;
    java.util.Arrays.fill(header, checksumAt, checksumAt + TarConstants.CHKSUMLEN, (byte) ' ');
    org.apache.commons.compress.archivers.tar.TarUtils.formatCheckSumOctalBytes(
        org.apache.commons.compress.archivers.tar.TarUtils.computeCheckSum(header), header, checksumAt, TarConstants.CHKSUMLEN);
    byte[] data = new byte[TarConstants.DEFAULT_RCDSIZE];
    System.arraycopy(bytes, 0, data, 0, bytes.length);
    try (OutputStream out = Files.newOutputStream(archive)) {
      out.write(header);
      out.write(data);
      out.write(new byte[2 * TarConstants.DEFAULT_RCDSIZE]); // end of archive
    }
    return archive;
  }

  private void refused(Path path, String message) throws IOException {
    assertThatThrownBy(() -> CaptureReader.read(path, scratch())).isInstanceOf(CaptureException.class)
        .hasMessageStartingWith(message).hasMessageNotContaining("\n");
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
