package dev.regcheck.lab.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.testlab.EmbeddedLabTest;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod's identity in the lab as in a cluster: TokenRequest issues a service-account token the API
 * accepts as {@code system:serviceaccount:<ns>:<name>}, RBAC's resourceNames bound what it may read,
 * and the token dies with its account (and is not revived by an account of the same name).
 */
@EmbeddedLabTest
class ServiceAccountTokenTest {
  static EmbeddedLab lab;
  static OpenShiftClient admin;

  @BeforeAll
  static void start(EmbeddedLab classLab, OpenShiftClient userClient) {
    lab = classLab;
    admin = userClient;
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("t").endMetadata().build()).create();
    for (String name : new String[] {"a", "b"}) {
      admin.configMaps().inNamespace("t").resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
          .withData(Map.of("k", name)).build()).create();
    }
    admin.rbac().roles().inNamespace("t").resource(new RoleBuilder().withNewMetadata().withName("read-a").endMetadata()
        .addNewRule().withApiGroups("").withResources("configmaps").withResourceNames("a").withVerbs("get", "list").endRule()
        .build()).create();
  }

  @Test
  void aServiceAccountTokenReadsWhatItsRoleNamesAndNothingElse() {
    account("robot");
    admin.rbac().roleBindings().inNamespace("t").resource(new RoleBindingBuilder().withNewMetadata().withName("robot")
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "read-a")
        .addNewSubject().withKind("ServiceAccount").withName("robot").withNamespace("t").endSubject().build()).create();
    try (KubernetesClient robot = as(token("robot", 3600))) {
      assertThat(robot.configMaps().inNamespace("t").withName("a").get().getData()).containsEntry("k", "a");
      assertThatThrownBy(() -> robot.configMaps().inNamespace("t").withName("b").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
              .isEqualTo("configmaps \"b\" is forbidden: User \"system:serviceaccount:t:robot\" cannot get resource "
                  + "\"configmaps\" in API group \"\" in the namespace \"t\""));
      // a rule with resourceNames never covers a list
      assertThatThrownBy(() -> robot.configMaps().inNamespace("t").list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void theTokenDiesWithItsAccount() {
    account("short-lived");
    String token = token("short-lived", 3600);
    try (KubernetesClient before = as(token)) {
      assertThat(before.getKubernetesVersion()).isNotNull();
    }
    admin.serviceAccounts().inNamespace("t").withName("short-lived").delete();
    try (KubernetesClient after = as(token)) {
      assertThatThrownBy(() -> after.configMaps().inNamespace("t").withName("a").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
    account("short-lived"); // the same name again is another account
    try (KubernetesClient again = as(token)) {
      assertThatThrownBy(() -> again.configMaps().inNamespace("t").withName("a").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
  }

  @Test
  void aTokenUnderTenMinutesIsRefused() {
    account("brief");
    assertThatThrownBy(() -> token("brief", 599)).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(422);
      assertThat(e.getStatus().getMessage()).contains("spec.expirationSeconds: Invalid value: 599: may not specify a duration "
          + "less than 10 minutes");
    });
    assertThatThrownBy(() -> admin.serviceAccounts().inNamespace("t").withName("nobody")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  private static void account(String name) {
    admin.serviceAccounts().inNamespace("t").resource(new ServiceAccountBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).create();
  }

  private static String token(String account, long seconds) {
    return admin.serviceAccounts().inNamespace("t").withName(account)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(seconds).endSpec().build())
        .getStatus().getToken();
  }

  private static KubernetesClient as(String token) {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(lab.inClusterApiUrl())
        .withOauthToken(token).withCaCertData(Base64.getEncoder().encodeToString(lab.apiCaPem().getBytes(StandardCharsets.US_ASCII)))
        .withRequestRetryBackoffLimit(0).build()).build();
  }
}
