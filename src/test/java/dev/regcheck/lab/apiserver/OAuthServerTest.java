package dev.regcheck.lab.apiserver;

import java.util.concurrent.CopyOnWriteArrayList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.client.OAuthLogin;
import dev.regcheck.registry.AddressMap;
import dev.regcheck.tls.Certificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import dev.regcheck.lab.core.ServiceCa;

/** The lab's OAuth server against regcheck's own {@code oc login -u -p} client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OAuthServerTest {
  static final String APPS = "apps.example.test";
  static final String HOST = "oauth-openshift." + APPS;

  Identities identities;
  ServiceCa ca;
  OAuthServer server;
  AddressMap addresses;

  @BeforeAll
  void start() throws Exception {
    identities = new Identities("lixiaohui");
    ca = ServiceCa.create();
    // served here under the route host itself, so the client's name check is the real one
    server = OAuthServer.start(identities, APPS, ca.serving(HOST, "127.0.0.1"));
    addresses = AddressMap.of(Map.of(HOST, "127.0.0.1:" + server.port()));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  String authorize() {
    return OAuthServer.issuer(APPS) + "/oauth/authorize";
  }

  @Test
  @DisplayName("the right password gets a token the lab's API and registry accept, valid 24 h")
  void passwordLogin() throws Exception {
    OAuthLogin.Token token = OAuthLogin.login(authorize(), "lixiaohui", identities.userPassword(), addresses,
        Certificates.parsePem(ca.caPem()), Duration.ofSeconds(5));
    assertThat(identities.actorForToken(token.value())).contains("lixiaohui");
    assertThat(token.expiresIn()).isEqualTo(Duration.ofHours(24));
    assertThat(token.toString()).doesNotContain(token.value());
  }

  @Test
  @DisplayName("a login is recorded as an oauthaccesstokens object named sha256~<hash>; deleting it (oc logout) revokes the token")
  void tokensAreObjectsAndLogoutRevokes() throws Exception {
    List<String> recorded = new CopyOnWriteArrayList<>();
    identities.recordTokensIn((name, user, created, lifetime) -> recorded.add(name + " " + user + " " + lifetime.toHours()));
    String seeded = Identities.objectName(identities.userToken());
    assertThat(recorded).contains(seeded + " lixiaohui 24");
    OAuthLogin.Token token = OAuthLogin.login(authorize(), "lixiaohui", identities.userPassword(), addresses,
        Certificates.parsePem(ca.caPem()), Duration.ofSeconds(5));
    String name = Identities.objectName(token.value());
    assertThat(name).startsWith("sha256~").doesNotContain(token.value().substring(7));
    assertThat(recorded).contains(name + " lixiaohui 24");
    identities.revoked(name);
    assertThat(identities.actorForToken(token.value())).isEmpty();
    assertThat(identities.actorForToken(identities.userToken())).contains("lixiaohui");
  }

  @Test
  @DisplayName("an expired token is refused like an unknown one (the API answers 401)")
  void expiredTokenIsRefused() {
    Identities stale = new Identities("lixiaohui", true);
    assertThat(stale.actorForToken(stale.userToken())).isEmpty();
    assertThat(stale.actorFor("Bearer " + stale.userToken())).isEmpty();
    assertThat(stale.actorForToken(stale.controlPlaneToken())).contains(Identities.CONTROL_PLANE_ACTOR);
  }

  @Test
  @DisplayName("a wrong password or another user is refused (401 Basic challenge), and no token is issued")
  void wrongPassword() {
    for (String[] c : List.of(new String[] {"lixiaohui", "not-it"}, new String[] {"kubeadmin", identities.userPassword()})) {
      assertThatThrownBy(() -> OAuthLogin.login(authorize(), c[0], c[1], addresses, Certificates.parsePem(ca.caPem()),
          Duration.ofSeconds(5))).isInstanceOfSatisfying(OAuthLogin.Failure.class,
              f -> assertThat(f.kind()).isEqualTo(OAuthLogin.Failure.Kind.REFUSED))
          .hasMessageContaining("refused user " + c[0]);
    }
  }

  @Test
  @DisplayName("a server the client does not trust is UNTRUSTED, before any password is sent")
  void untrusted() throws Exception {
    ServiceCa other = ServiceCa.create("someone-else");
    assertThatThrownBy(() -> OAuthLogin.login(authorize(), "lixiaohui", identities.userPassword(), addresses,
        Certificates.parsePem(other.caPem()), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(OAuthLogin.Failure.class,
            f -> assertThat(f.kind()).isEqualTo(OAuthLogin.Failure.Kind.UNTRUSTED));
  }

  @Test
  @DisplayName("without X-CSRF-Token the server gives no Basic challenge (as the real one), and only the challenging client is served")
  void csrfAndClient() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(trusting()).build();
    String base = "https://127.0.0.1:" + server.port() + "/oauth/authorize?response_type=token&client_id=";
    HttpResponse<String> noCsrf = http.send(HttpRequest.newBuilder(URI.create(base + OAuthServer.CLIENT)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noCsrf.statusCode()).isEqualTo(400);
    assertThat(noCsrf.body()).contains("X-CSRF-Token");
    HttpResponse<String> browser = http.send(HttpRequest.newBuilder(URI.create(base + "openshift-browser-client"))
        .header("X-CSRF-Token", "1").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(browser.statusCode()).isEqualTo(400);
  }

  private SSLContext trusting() throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", ca.caCertificate());
    TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
    f.init(store);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, f.getTrustManagers(), null);
    return c;
  }
}
