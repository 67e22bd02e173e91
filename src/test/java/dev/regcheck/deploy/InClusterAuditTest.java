package dev.regcheck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.regcheck.catalog.Lang;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.apiserver.RequestLog;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.result.CheckResult;
import dev.regcheck.result.Status;
import dev.regcheck.run.RunOptions;
import dev.regcheck.run.RunReport;
import dev.regcheck.run.SuiteRunner;
import dev.regcheck.session.Mode;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * regcheck as the in-cluster Job runs it, with exactly the rights deploy/ gives it: deploy/namespace.yaml
 * and deploy/rbac.yaml applied in a lab where the procedure was done, a TokenRequest's token for the
 * service account (what the kubelet mounts), the API server itself as the address (what
 * KUBERNETES_SERVICE_HOST names), the profile of deploy/profile.yaml. Audit gives every check a
 * verdict: PASS, or SKIP that audit always skips, or SKIP naming the one permission the role
 * deliberately lacks (secrets); the service account is refused nothing else and writes nothing.
 */
@EmbeddedLabTest(classLab = false)
class InClusterAuditTest {
  static final String ACCOUNT = "system:serviceaccount:regcheck:regcheck";
  /** What audit mode skips on any cluster: the write probe, the push and what needs it. */
  static final Set<String> AUDIT_SKIPS = Set.of("S02.4", "S08.7", "S08.8", "S08.9", "S09.1", "S09.2", "S09.3", "S10.4");

  @Test
  void theJobsRightsGiveEveryCheckAVerdict(@TempDir Path dir, TestLabs labs) throws Exception {
    EmbeddedLab lab = labs.start(Fault.AUDIT_WITH_PASSWORD);
    String token;
    try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null,
        Files.readString(lab.kubeconfig()), lab.kubeconfig().toString())).build()) {
      for (String file : List.of("deploy/namespace.yaml", "deploy/rbac.yaml")) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
          for (HasMetadata item : admin.load(in).items()) {
            admin.resource(item).create();
          }
        }
      }
      token = admin.serviceAccounts().inNamespace("regcheck").withName("regcheck")
          .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
          .getStatus().getToken();
    }
    Path profile = inClusterProfile(dir, lab);
    Path kubeconfig = dir.resolve("pod-kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: in-cluster, cluster: {server: %s, certificate-authority-data: %s}}]
        users: [{name: regcheck, user: {token: %s}}]
        contexts: [{name: in-cluster, context: {cluster: in-cluster, user: regcheck}}]
        current-context: in-cluster
        """.formatted(lab.inClusterApiUrl(), Base64.getEncoder().encodeToString(lab.apiCaPem().getBytes(StandardCharsets.US_ASCII)),
        token));
    java.net.URI api = java.net.URI.create(lab.inClusterApiUrl());
    Instant start = Instant.now();
    RunReport report = SuiteRunner.run(new RunOptions(profile, Map.of("cluster.kubeconfig", kubeconfig.toString()),
        Mode.AUDIT, Lang.EN, Set.of(), null, Set.of(), dir.resolve("reports"))
        .withEnvironment(Map.of("KUBERNETES_SERVICE_HOST", api.getHost(), "KUBERNETES_SERVICE_PORT", String.valueOf(api.getPort()))),
        r -> { });

    String all = report.results().stream().map(r -> r.check().id() + " " + r.status() + " " + r.message())
        .collect(Collectors.joining("\n"));
    for (CheckResult r : report.results()) {
      String id = r.check().id();
      if (r.status() == Status.SKIP && !AUDIT_SKIPS.contains(id)) {
        // what the role deliberately lacks (the route's secret; listing every namespace's image streams),
        // or what no service account has (a password)
        assertThat(r.message()).as(id + "\n" + all).containsAnyOf("not permitted (403): secrets \"registry\" is forbidden",
            "it needs cluster-wide list imagestreams", "the profile gives no identity.password");
      } else {
        assertThat(r.status()).as(id + "\n" + all).isIn(Status.PASS, Status.SKIP);
      }
    }
    List<RequestLog.Entry> byAccount = lab.requests().stream()
        .filter(e -> !e.time().isBefore(start) && e.actor().equals(ACCOUNT)).toList();
    assertThat(byAccount).as("requests by the Job's service account").isNotEmpty();
    assertThat(byAccount).as("writes").noneMatch(RequestLog.Entry::mutating);
    assertThat(byAccount.stream().filter(e -> e.status() == 403).map(RequestLog.Entry::path).toList())
        .as("refused: only the secret the role deliberately lacks").allMatch(p -> p.contains("/secrets/"));
    System.out.println(all);
  }

  @Test
  void theRolesGrantReadsOnlyAndNoSecrets() throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    List<JsonNode> docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(Path.of("deploy/rbac.yaml")))
        .readAll();
    List<JsonNode> rules = docs.stream().filter(d -> d.path("kind").asText().endsWith("Role"))
        .flatMap(d -> toList(d.path("rules")).stream()).toList();
    assertThat(rules).isNotEmpty();
    for (JsonNode rule : rules) {
      assertThat(toList(rule.path("verbs")).stream().map(JsonNode::asText)).as(rule.toString()).isSubsetOf("get", "list", "watch");
      assertThat(toList(rule.path("resources")).stream().map(JsonNode::asText)).as(rule.toString())
          .doesNotContain("secrets", "pods/exec", "pods/portforward", "*");
      assertThat(toList(rule.path("apiGroups")).stream().map(JsonNode::asText)).as(rule.toString()).doesNotContain("*");
    }
    // bound to the Job's service account only
    docs.stream().filter(d -> d.path("kind").asText().endsWith("Binding")).forEach(b ->
        assertThat(b.path("subjects").toString()).isEqualTo("[{\"kind\":\"ServiceAccount\",\"name\":\"regcheck\",\"namespace\":\"regcheck\"}]"));
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  /** deploy/profile.yaml's profile, pointed at the lab's NFS address and router (a pod has DNS for them). */
  static Path inClusterProfile(Path dir, EmbeddedLab lab) throws Exception {
    JsonNode configMap = new YAMLMapper().readTree(Path.of("deploy/profile.yaml").toFile());
    Map<String, Object> p = new YAMLMapper().readValue(configMap.path("data").path("profile.yaml").asText(),
        new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
    @SuppressWarnings("unchecked")
    Map<String, Object> cluster = (Map<String, Object>) p.get("cluster");
    String router = "127.0.0.1:" + lab.routerPort().orElseThrow();
    String apps = (String) cluster.get("appsDomain");
    cluster.put("hosts", Map.of("default-route-openshift-image-registry." + apps + ":443", router,
        "registry." + apps + ":443", router));
    @SuppressWarnings("unchecked")
    Map<String, Object> nfs = (Map<String, Object>) p.get("nfs");
    nfs.put("server", lab.profileOverrides().getOrDefault("nfs.server", "127.0.0.1"));
    // the lab has no service VIPs: the registry is reached at its endpoint, as a pod may too
    p.put("registry", Map.of("access", "endpoints"));
    // the bundle deploy/ mounts from ConfigMap regcheck-trust: here the lab workstation's (ingress CA, root CA)
    @SuppressWarnings("unchecked")
    Map<String, Object> exposure = (Map<String, Object>) p.get("exposure");
    assertThat(exposure.get("trustBundle")).isEqualTo("/etc/regcheck/trust/ca-bundle.crt");
    exposure.put("trustBundle", lab.profileOverrides().get("exposure.trustBundle"));
    Path file = dir.resolve("in-cluster.yaml");
    new YAMLMapper().writeValue(file.toFile(), p);
    return file;
  }
}
