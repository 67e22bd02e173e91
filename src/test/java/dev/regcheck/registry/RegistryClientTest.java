package dev.regcheck.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.result.Redactor;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The client against mockwebserver3 over TLS, reached through an {@link AddressMap} like the real service. */
class RegistryClientTest {
  private static final String USER = "anyone";
  private static final String SECRET = "sha256~S3cr3tT0kenValue-0123456789abcdef";
  private static final String REPO = "openshift/hello-world";
  private static final byte[] CONTENT = "layer bytes".getBytes(StandardCharsets.UTF_8);
  private static final String CONTENT_DIGEST = Digests.sha256(CONTENT);

  private static TestPki pki;
  private static TestPki.Serving serving;

  private MockWebServer server;
  private FakeRegistry registry;
  private final ExchangeLog log = new ExchangeLog();

  @BeforeAll
  static void pki() throws Exception {
    pki = TestPki.create("regcheck test CA");
    serving = pki.issue(List.of(TestPki.SERVICE, "blobs.example"));
  }

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry(SECRET);
    server = new MockWebServer();
    server.setServerSocketFactory(FakeRegistry.noDelay());
    server.useHttps(serving.serverSocketFactory());
    server.setDispatcher(registry);
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RegistryClient.Builder client(Credentials credentials) {
    return RegistryClient.builder().registry(FakeRegistry.HOST)
        .addresses(AddressMap.of(Map.of(FakeRegistry.HOST, "127.0.0.1:" + server.getPort(),
            "blobs.example", "127.0.0.1:" + server.getPort())))
        .trust(List.of(pki.ca())).credentials(credentials).exchanges(log)
        .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private RegistryClient client() {
    return client(Credentials.basic(USER, SECRET)).build();
  }

  private static MockResponse manifest() {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
        .setHeader("Docker-Content-Digest", Digests.sha256("{}".getBytes(StandardCharsets.UTF_8))).body("{}").build();
  }

  @Test
  @DisplayName("a token is fetched from the realm with Basic(any user, token as password), service and scope")
  void tokenRequest() throws Exception {
    registry.route("GET /v2/" + REPO + "/manifests/latest", manifest());
    try (RegistryClient client = client()) {
      assertThat(client.getManifest(REPO, "latest").text()).isEqualTo("{}");
    }

    RecordedRequest token = registry.requests("GET /openshift/token").get(0);
    String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(token.getHeaders().get("Authorization")).isEqualTo(basic);
    assertThat(token.getUrl().queryParameter("service")).isEqualTo(FakeRegistry.SERVICE);
    assertThat(token.getUrl().queryParameterValues("scope")).containsExactly("repository:" + REPO + ":pull");
    assertThat(token.getHeaders().get("Host")).isEqualTo(FakeRegistry.HOST);
  }

  @Test
  @DisplayName("a token is cached per scope set: reused for the same repository, fetched anew for another and after expiry")
  void tokenCache() throws Exception {
    registry.route("GET /v2/" + REPO + "/manifests/latest", manifest());
    registry.route("GET /v2/openshift/other/manifests/latest", manifest());
    MutableClock clock = new MutableClock();
    try (RegistryClient client = client(Credentials.basic(USER, SECRET)).clock(clock).build()) {
      client.getManifest(REPO, "latest");
      client.getManifest(REPO, "latest");
      client.getManifest(REPO, "latest");
      assertThat(registry.requests("GET /openshift/token")).hasSize(1);
      assertThat(registry.requests("GET /v2/" + REPO)).hasSize(4); // one 401, then three with the token

      client.getManifest("openshift/other", "latest");
      assertThat(registry.requests("GET /openshift/token")).hasSize(2);

      clock.advance(Duration.ofSeconds(291)); // expires_in 300 minus the 10 s margin
      client.getManifest(REPO, "latest");
      assertThat(registry.requests("GET /openshift/token")).hasSize(3);
    }
  }

  @Test
  @DisplayName("a Basic challenge (OpenShift's answer to a refused token) is answered once with Basic")
  void basicChallenge() throws Exception {
    registry.acceptBearer = false;
    registry.basicChallengeForBadToken = true;
    registry.acceptBasic = true;
    registry.route("GET /v2/" + REPO + "/manifests/latest", manifest());
    try (RegistryClient client = client()) {
      client.getManifest(REPO, "latest");
    }

    List<RecordedRequest> manifests = registry.requests("GET /v2/" + REPO);
    assertThat(manifests).extracting(r -> String.valueOf(r.getHeaders().get("Authorization")).split(" ")[0])
        .containsExactly("null", "Bearer", "Basic");
    assertThat(FakeRegistry.password(manifests.get(2).getHeaders().get("Authorization"))).isEqualTo(SECRET);
  }

  @Test
  @DisplayName("the token endpoint's 401 is UNAUTHORIZED, saying it rejected the credentials and naming the realm")
  void tokenEndpointRejects() {
    try (RegistryClient client = client(Credentials.basic(USER, "wrong-secret")).build()) {
      assertThatThrownBy(client::login).isInstanceOfSatisfying(RegistryException.class, e -> {
        assertThat(e.code()).isEqualTo("UNAUTHORIZED");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).isEqualTo("GET " + FakeRegistry.REALM + ": 401 UNAUTHORIZED the token endpoint "
            + "rejected the credentials of user anyone (realm " + FakeRegistry.REALM + ")");
      });
    }
  }

  @Test
  @DisplayName("a push the token does not cover fails with the registry's code and the scope asked for, in one line")
  void pushDenied() {
    registry.grant = scope -> scope.replace(",push", "");
    try (RegistryClient client = client()) {
      assertThatThrownBy(() -> client.putManifest(REPO, "latest", MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("PUT /v2/openshift/hello-world/manifests/latest: 401 UNAUTHORIZED "
                + "authentication required (scope repository:openshift/hello-world:pull,push)");
            assertThat(e.errors()).extracting(RegistryError::code).containsExactly("UNAUTHORIZED");
          });
    }
  }

  @Test
  @DisplayName("the catalog follows relative Link rel=next (not rel=prev) across 3 pages")
  void catalogPagination() throws Exception {
    registry.route("GET /v2/_catalog", r -> {
      String last = r.getUrl().queryParameter("last");
      MockResponse.Builder page = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json");
      if (last == null) {
        return page.body("{\"repositories\":[\"a/one\",\"a/two\"]}")
            .setHeader("Link", "</v2/_catalog?last=a%2Ftwo&n=2>; rel=\"next\"").build();
      }
      if (last.equals("a/two")) {
        return page.body("{\"repositories\":[\"b/three\",\"b/four\"]}")
            .setHeader("Link", "</v2/_catalog?n=2>; rel=\"prev\", <_catalog?last=b%2Ffour&n=2>; rel=next").build();
      }
      return page.body("{\"repositories\":[\"c/five\"]}").build();
    });
    try (RegistryClient client = client()) {
      Catalog catalog = client.catalog(2);

      assertThat(catalog.repositories()).containsExactly("a/one", "a/two", "b/three", "b/four", "c/five");
      assertThat(catalog.pages()).isEqualTo(3);
    }
    assertThat(registry.requests("GET /openshift/token").get(0).getUrl().queryParameter("scope"))
        .isEqualTo("registry:catalog:*");
  }

  @Test
  @DisplayName("an OCI error body gives code, message and detail; a 404 without body gives HTTP_404")
  void errorBodies() throws Exception {
    registry.route("GET /v2/" + REPO + "/manifests/latest", new MockResponse.Builder().code(404)
        .setHeader("Content-Type", "application/json")
        .body("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"latest\"}}]}")
        .build());
    try (RegistryClient client = client()) {
      assertThatThrownBy(() -> client.getManifest(REPO, "latest")).isInstanceOfSatisfying(RegistryException.class, e -> {
        assertThat(e.code()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(e.getMessage()).isEqualTo("GET /v2/openshift/hello-world/manifests/latest: 404 MANIFEST_UNKNOWN manifest unknown");
        assertThat(e.errors()).containsExactly(new RegistryError("MANIFEST_UNKNOWN", "manifest unknown", "{\"Tag\":\"latest\"}"));
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.path()).isEqualTo("/v2/openshift/hello-world/manifests/latest");
      });
      assertThatThrownBy(() -> client.pullBlob(REPO, CONTENT_DIGEST, new ByteArrayOutputStream()))
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo("HTTP_404");
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.errors()).isEmpty();
          });
      assertThat(client.headManifest(REPO, "missing")).isEmpty();
    }
  }

  @Test
  @DisplayName("a blob whose bytes do not match its digest fails with DigestMismatchException")
  void digestMismatch() {
    registry.route("GET /v2/" + REPO + "/blobs/" + CONTENT_DIGEST,
        new MockResponse.Builder().code(200).body("layer bytez").build());
    try (RegistryClient client = client()) {
      assertThatThrownBy(() -> client.pullBlob(REPO, CONTENT_DIGEST, new ByteArrayOutputStream()))
          .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
            assertThat(e.code()).isEqualTo(DigestMismatchException.DIGEST_MISMATCH);
            assertThat(e.expected()).isEqualTo(CONTENT_DIGEST);
            assertThat(e.actual()).isEqualTo(Digests.sha256("layer bytez".getBytes(StandardCharsets.UTF_8)));
          });
    }
  }

  @Test
  @DisplayName("a manifest whose bytes differ from Docker-Content-Digest fails; so does a push acknowledged with another digest")
  void manifestDigests() {
    registry.route("GET /v2/" + REPO + "/manifests/latest", new MockResponse.Builder().code(200)
        .setHeader("Content-Type", MediaTypes.OCI_MANIFEST).setHeader("Docker-Content-Digest", CONTENT_DIGEST).body("{}").build());
    registry.route("PUT /v2/" + REPO + "/manifests/latest", new MockResponse.Builder().code(201)
        .setHeader("Docker-Content-Digest", CONTENT_DIGEST).build());
    try (RegistryClient client = client()) {
      assertThatThrownBy(() -> client.getManifest(REPO, "latest")).isInstanceOf(DigestMismatchException.class);
      assertThatThrownBy(() -> client.putManifest(REPO, "latest", MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(DigestMismatchException.class).hasMessageContaining("Docker-Content-Digest");
    }
  }

  @Test
  @DisplayName("a blob redirect to another host is followed without the registry's Authorization")
  void redirectWithoutCredentials() throws Exception {
    registry.route("GET /v2/" + REPO + "/blobs/" + CONTENT_DIGEST, new MockResponse.Builder().code(307)
        .setHeader("Location", "https://blobs.example:" + 443 + "/storage/abc?X-Amz-Signature=s3cr3t").build());
    // blobs.example maps to this server on any port; the storage path needs no auth in FakeRegistry's routes
    registry.route("GET /storage/abc", new MockResponse.Builder().code(200).body("layer bytes").build());
    registry.acceptBasic = false;
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (RegistryClient client = client()) {
      assertThat(client.pullBlob(REPO, CONTENT_DIGEST, sink)).isEqualTo(CONTENT.length);
    }
    assertThat(sink.toByteArray()).isEqualTo(CONTENT);
    RecordedRequest storage = registry.requests("GET /storage/abc").get(0);
    assertThat(storage.getHeaders().get("Host")).isEqualTo("blobs.example");
    assertThat(storage.getHeaders().get("Authorization")).isNull();
    assertThat(log.render(Redactor.shapesOnly())).doesNotContain("s3cr3t");
  }

  @Test
  @DisplayName("a mount answered 202 returns false and cancels the upload it opened")
  void mountNotPossible() throws Exception {
    registry.route("POST /v2/" + REPO + "/blobs/uploads/", new MockResponse.Builder().code(202)
        .setHeader("Location", "/v2/" + REPO + "/blobs/uploads/u-1?_state=x").build());
    registry.route("DELETE /v2/" + REPO + "/blobs/uploads/u-1", new MockResponse.Builder().code(204).build());
    try (RegistryClient client = client()) {
      assertThat(client.mountBlob(REPO, CONTENT_DIGEST, "openshift/source")).isFalse();
    }
    RecordedRequest mount = registry.requests("POST /v2/" + REPO).get(0);
    assertThat(mount.getUrl().queryParameter("mount")).isEqualTo(CONTENT_DIGEST);
    assertThat(mount.getUrl().queryParameter("from")).isEqualTo("openshift/source");
    assertThat(registry.requests("GET /openshift/token").get(0).getUrl().queryParameterValues("scope"))
        .containsExactlyInAnyOrder("repository:" + REPO + ":pull,push", "repository:openshift/source:pull");
    assertThat(registry.requests("DELETE /v2/" + REPO + "/blobs/uploads/u-1")).hasSize(1);
  }

  @Test
  @DisplayName("refused connection: CONNECTION naming the logical host:port and the real address tried")
  void connectionRefused() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    try (RegistryClient client = RegistryClient.builder().registry(FakeRegistry.HOST)
        .addresses(AddressMap.of(Map.of(FakeRegistry.HOST, "127.0.0.1:" + closed))).trust(List.of(pki.ca())).build()) {
      assertThatThrownBy(client::ping).isInstanceOfSatisfying(RegistryException.class, e -> {
        assertThat(e.code()).isEqualTo(RegistryException.CONNECTION);
        assertThat(e.status()).isZero();
        assertThat(e.getMessage()).isEqualTo("GET /v2/: CONNECTION " + FakeRegistry.HOST + " (connecting to 127.0.0.1:"
            + closed + "): connection refused").doesNotContain("\n");
      });
    }
  }

  @Test
  @DisplayName("an answer slower than the read timeout: CONNECTION saying it timed out")
  void readTimeout() {
    registry.route("GET /v2/" + REPO + "/manifests/slow",
        manifest().newBuilder().headersDelay(2, TimeUnit.SECONDS).build());
    try (RegistryClient client = client(Credentials.basic(USER, SECRET))
        .timeouts(Duration.ofSeconds(5), Duration.ofMillis(300)).build()) {
      assertThatThrownBy(() -> client.getManifest(REPO, "slow")).isInstanceOfSatisfying(RegistryException.class, e -> {
        assertThat(e.code()).isEqualTo(RegistryException.CONNECTION);
        assertThat(e.getMessage()).startsWith("GET /v2/openshift/hello-world/manifests/slow: CONNECTION " + FakeRegistry.HOST
            + " (connecting to 127.0.0.1:" + server.getPort() + "): timed out");
      });
    }
  }

  @Test
  @DisplayName("insecureSkipVerify accepts a certificate for another name from an unknown CA")
  void insecureSkipVerify() throws Exception {
    try (RegistryClient client = RegistryClient.builder().registry("wrong.example:5000").insecureSkipVerify()
        .addresses(AddressMap.of(Map.of("wrong.example", "127.0.0.1:" + server.getPort()))).build()) {
      assertThat(client.ping().status()).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("deleting by tag is refused before any request")
  void deleteByTagRefused() {
    try (RegistryClient client = client()) {
      assertThatThrownBy(() -> client.deleteManifest(REPO, "latest")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("by digest only");
    }
    assertThat(registry.requests).isEmpty();
  }

  @Test
  @DisplayName("the exchange log and the client's texts never contain the secret, its Basic form or an issued token")
  void noSecretsRecorded() throws Exception {
    registry.route("GET /v2/" + REPO + "/manifests/latest", manifest());
    Credentials credentials = Credentials.basic(USER, SECRET);
    String errors;
    try (RegistryClient client = client(credentials).build()) {
      client.login();
      client.getManifest(REPO, "latest");
      registry.grant = scope -> scope.replace(",push", "");
      errors = assertThatThrownBy(() -> client.putManifest(REPO, "v1", MediaTypes.OCI_MANIFEST, new byte[] {'{', '}'}))
          .actual().getMessage();
      errors += client.toString();
    }
    try (RegistryClient wrong = client(Credentials.basic(USER, SECRET + "-revoked")).build()) {
      errors += assertThatThrownBy(wrong::login).actual().getMessage();
    }

    String rendered = log.render(Redactor.shapesOnly());
    String basic = Base64.getEncoder().encodeToString((USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(registry.issued).hasSizeGreaterThanOrEqualTo(3);
    for (String text : List.of(rendered, errors, credentials.toString())) {
      assertThat(text).doesNotContain(SECRET).doesNotContain(SECRET.substring(7)).doesNotContain(basic);
      registry.issued.forEach(token -> assertThat(text).doesNotContain(token));
    }
    assertThat(rendered).contains("Authorization: <redacted>").contains("GET https://" + FakeRegistry.HOST + "/openshift/token?");
    // the record itself is clean: no reliance on the redactor given to render()
    String recorded = log.exchanges().toString();
    assertThat(recorded).doesNotContain(SECRET).doesNotContain(basic)
        .contains("\"token\":\"<redacted>\"").contains("\"access_token\":\"<redacted>\"");
    registry.issued.forEach(token -> assertThat(recorded).doesNotContain(token));
    assertThat(ExchangeLog.url(HttpUrl.get("https://h/p?token=t0k&password=pw&n=1")))
        .isEqualTo("https://h/p?token=<redacted>&password=<redacted>&n=1");
  }

  @Test
  @DisplayName("the exchange log keeps the last N exchanges")
  void logIsBounded() throws Exception {
    ExchangeLog small = new ExchangeLog(3);
    try (RegistryClient client = client(Credentials.anonymous()).exchanges(small).build()) {
      for (int i = 0; i < 5; i++) {
        client.ping();
      }
    }
    assertThat(small.exchanges()).hasSize(3).allSatisfy(e -> assertThat(e.status()).isEqualTo(401));
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2030-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
