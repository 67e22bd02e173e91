package dev.regcheck.lab.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.regcheck.fixture.BearerToken;
import dev.regcheck.tls.Certificates;
import io.fabric8.kubernetes.client.Config;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.LabDriver;
import dev.regcheck.testlab.EmbeddedLabTest;
import dev.regcheck.testlab.TestLabs;

/**
 * The lab's registry token endpoint: OpenShift's semantics outside (any user name, the token as
 * password, anonymous without credentials, 401 for a bad token), Distribution's JWT contract inside
 * (RS256, libtrust {@code kid}, string {@code aud}), and grants that follow the seeded RBAC and the
 * faults that change it.
 */
@EmbeddedLabTest
class RegistryTokenServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCOPES = "scope=repository:openshift/hello-world:pull,push"
      + "&scope=repository:default/other:pull,push&scope=registry:catalog:*";

  record Answer(int status, Map<String, String> headers, String body) {}

  @Test
  @DisplayName("the document's user gets pull, push and the catalog in a token Distribution accepts")
  void seededUserToken(EmbeddedLab lab) throws Exception {
    Answer a = get(lab, SCOPES, "anyone", token(lab));
    assertThat(a.status()).isEqualTo(200);
    JsonNode body = JSON.readTree(a.body());
    assertThat(body.path("access_token").asText()).isEqualTo(body.path("token").asText());
    assertThat(body.path("expires_in").asInt()).isEqualTo(300);
    SignedJWT jwt = SignedJWT.parse(body.path("token").asText());
    X509Certificate signer = Certificates.parsePem(lab.registryTokenSigner()).get(0);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(RegistryTokenServer.libtrustKeyId(signer))
        .matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) signer.getPublicKey()))).isTrue();
    // Distribution rejects an array aud: the payload must carry a plain string
    JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(jwt.getParsedParts()[1].toString()));
    assertThat(payload.path("aud").isTextual()).isTrue();
    assertThat(payload.path("aud").asText()).isEqualTo("image-registry.openshift-image-registry.svc:5000");
    assertThat(payload.path("sub").asText()).isEqualTo(LabDriver.SETTINGS.user());
    assertThat(payload.path("iss").asText()).isEqualTo(RegistryTokenServer.ISSUER);
    assertThat(grants(payload)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "repository:openshift/hello-world", List.of("pull", "push"),
        "repository:default/other", List.of("pull", "push"),
        "registry:catalog", List.of("*")));
  }

  @Test
  @DisplayName("a wrong token is 401 with a Basic challenge; no credentials is anonymous with no grants")
  void wrongTokenAndAnonymous(EmbeddedLab lab) throws Exception {
    Answer wrong = get(lab, SCOPES, "anyone", "sha256~wrong-wrong-wrong-wrong");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.headers().get("www-authenticate")).startsWith("Basic");
    Answer empty = get(lab, SCOPES, "anyone", "");
    assertThat(empty.status()).as("an empty password is an invalid token").isEqualTo(401);
    Answer anonymous = get(lab, SCOPES, null, null);
    assertThat(anonymous.status()).isEqualTo(200);
    JsonNode payload = payload(anonymous);
    assertThat(payload.path("sub").asText()).isEqualTo("system:anonymous");
    assertThat(grants(payload)).isEmpty();
  }

  @Test
  @DisplayName("faults change the grants as their RBAC says")
  void faultsChangeGrants(TestLabs labs) throws Exception {
    EmbeddedLab viewer = labs.start(Fault.NO_BUILDER_ROLE);
    assertThat(grants(payload(get(viewer, SCOPES, "u", token(viewer))))).as("registry-viewer, no builder")
        .containsExactlyInAnyOrderEntriesOf(Map.of("repository:openshift/hello-world", List.of("pull"),
            "repository:default/other", List.of("pull"), "registry:catalog", List.of("*")));

    EmbeddedLab projectBuilder = labs.start(Fault.CATALOG_FORBIDDEN);
    assertThat(grants(payload(get(projectBuilder, SCOPES, "u", token(projectBuilder))))).as("a builder in openshift only")
        .containsExactlyInAnyOrderEntriesOf(Map.of("repository:openshift/hello-world", List.of("pull", "push")));

    EmbeddedLab anonymousBuilder = labs.start(Fault.ANONYMOUS_PUSH);
    assertThat(grants(payload(get(anonymousBuilder, SCOPES, null, null)))).as("system:unauthenticated is a builder in openshift")
        .containsExactlyInAnyOrderEntriesOf(Map.of("repository:openshift/hello-world", List.of("pull", "push")));
  }

  private static String token(EmbeddedLab lab) throws Exception {
    return BearerToken.kubeconfigToken(Config.fromKubeconfig(Files.readString(lab.kubeconfig())));
  }

  private static JsonNode payload(Answer a) throws Exception {
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    SignedJWT jwt = SignedJWT.parse(JSON.readTree(a.body()).path("token").asText());
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.getParsedParts()[1].toString()));
  }

  /** {@code type:name} → actions. */
  private static Map<String, List<String>> grants(JsonNode payload) {
    Map<String, List<String>> out = new HashMap<>();
    for (JsonNode a : payload.path("access")) {
      List<String> actions = new ArrayList<>();
      a.path("actions").forEach(x -> actions.add(x.asText()));
      out.put(a.path("type").asText() + ":" + a.path("name").asText(), actions);
    }
    return out;
  }

  /** GET the realm over TLS verified against the service CA by the service's name. */
  private static Answer get(EmbeddedLab lab, String query, String user, String password) throws Exception {
    URI realm = URI.create(lab.registryTokenRealm());
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", caOf(lab));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (Socket raw = new Socket("127.0.0.1", realm.getPort());
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, realm.getHost(), realm.getPort(), true)) {
      SSLParameters p = tls.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      p.setServerNames(List.of(new SNIHostName(realm.getHost())));
      tls.setSSLParameters(p);
      OutputStream out = tls.getOutputStream();
      String auth = user == null ? "" : "Authorization: Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
      out.write(("GET " + realm.getPath() + "?service=image-registry.openshift-image-registry.svc:5000&" + query
          + " HTTP/1.1\r\nHost: " + realm.getHost() + "\r\n" + auth + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      try (InputStream in = tls.getInputStream()) {
        in.transferTo(all);
      }
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String[] head = text.substring(0, split).split("\r\n");
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < head.length; i++) {
        int c = head[i].indexOf(':');
        headers.put(head[i].substring(0, c).toLowerCase(Locale.ROOT), head[i].substring(c + 1).trim());
      }
      return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(split + 4));
    }
  }

  private static X509Certificate caOf(EmbeddedLab lab) throws Exception {
    try (var client = LabDriver.userClient(lab)) {
      return Certificates.parsePem(client.configMaps().inNamespace("openshift-image-registry")
          .withName("openshift-service-ca.crt").get().getData().get("service-ca.crt")).get(0);
    }
  }
}
