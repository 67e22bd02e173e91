package dev.regcheck.lab.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.testlab.EmbeddedLabTest;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.client.OpenShiftClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every API request is authorized as kube-apiserver authorizes it, from the lab's RBAC objects:
 * a user without the permission gets 403 with the real server's words, the anonymous user too,
 * an unknown token 401, and SelfSubjectAccessReview agrees. The lab runs with no-builder-role:
 * the user holds the procedure's API roles, registry-viewer and image-pruner, no image-builder.
 */
@EmbeddedLabTest(faults = Fault.NO_BUILDER_ROLE)
class AuthorizationTest {
  static EmbeddedLab lab;
  static OpenShiftClient user;

  @BeforeAll
  static void start(EmbeddedLab classLab, OpenShiftClient userClient) {
    lab = classLab;
    user = userClient;
  }

  @Test
  @DisplayName("a request no rule allows: 403 Forbidden worded as kube-apiserver words it")
  void forbiddenAsTheApiServerSaysIt() {
    assertThatThrownBy(() -> user.imageStreams().inNamespace("openshift").resource(
            new io.fabric8.openshift.api.model.ImageStreamBuilder().withNewMetadata().withName("x").endMetadata().build())
        .create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
          assertThat(e.getStatus().getMessage()).isEqualTo("imagestreams.image.openshift.io is forbidden: User \""
              + lab.userActor() + "\" cannot create resource \"imagestreams\" in API group \"image.openshift.io\" in the "
              + "namespace \"openshift\"");
        });
    // what the roles do allow still works
    assertThat(user.imageRegistryOperatorConfigs().withName("cluster").get()).isNotNull();
    assertThat(user.images().list().getItems()).isNotNull();
  }

  @Test
  @DisplayName("SelfSubjectAccessReview (kubectl auth can-i) answers from the same rules")
  void selfSubjectAccessReviewAgrees() {
    assertThat(review("create", "image.openshift.io", "imagestreams", "layers", "openshift")).isFalse();
    assertThat(review("get", "image.openshift.io", "imagestreams", "layers", "openshift")).isTrue();
    assertThat(review("patch", "imageregistry.operator.openshift.io", "configs", null, null)).isTrue();
    assertThat(review("delete", "image.openshift.io", "images", null, null)).isTrue();
  }

  private boolean review(String verb, String group, String resource, String sub, String namespace) {
    SelfSubjectAccessReview asked = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
        .withVerb(verb).withGroup(group).withResource(resource).withSubresource(sub).withNamespace(namespace)
        .endResourceAttributes().endSpec().build();
    return user.authorization().v1().selfSubjectAccessReview().create(asked).getStatus().getAllowed();
  }

  @Test
  @DisplayName("no credentials: system:anonymous, refused with 403; /version is public; an unknown token is 401")
  void anonymousAndUnknownTokens() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).build();
    String api = lab.apiUrl();
    HttpResponse<String> secrets = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/namespaces/default/secrets"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(secrets.statusCode()).isEqualTo(403);
    assertThat(secrets.body()).contains("secrets is forbidden: User \\\"system:anonymous\\\" cannot list resource "
        + "\\\"secrets\\\" in API group \\\"\\\" in the namespace \\\"default\\\"");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(api + "/version")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/namespaces"))
        .header("Authorization", "Bearer sha256~notATokenOfThisLab").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(401);
  }

  private static SSLContext trustAll() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    return context;
  }
}
