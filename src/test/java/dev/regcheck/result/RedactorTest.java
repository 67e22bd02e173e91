package dev.regcheck.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  final Redactor shapes = Redactor.shapesOnly();

  @Test
  void removesKnownSecretsByValue() {
    Redactor r = Redactor.withSecrets(List.of("s3cr3t-token-value"));
    assertThat(r.redact("user lixiaohui token s3cr3t-token-value ok")).isEqualTo("user lixiaohui token <redacted> ok");
  }

  @Test
  void removesAuthorizationHeadersAndBearerTokens() {
    assertThat(shapes.redact("Authorization: Bearer abcdefghijklmnop\nHost: x"))
        .doesNotContain("abcdefghijklmnop").contains("Host: x");
    assertThat(shapes.redact("curl -H 'Basic dXNlcjpwYXNzd29yZA=='")).doesNotContain("dXNlcjpwYXNzd29yZA");
  }

  @Test
  void anEncodedRenderingKeepsItsEscapes() throws Exception {
    // a run's summary.json was unreadable: the header pattern ate the backslash of an escaped quote
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    String exchange = "> Authorization: Bearer abcdefghijklmnop\n< 200 OK\n{\"token\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\"}";
    String encoded = json.writeValueAsString(java.util.Map.of("evidence", exchange));
    String redacted = shapes.redact(encoded);
    assertThat(json.readTree(redacted).get("evidence").asText()).doesNotContain("abcdefghijklmnop")
        .doesNotContain("eyJhbGciOiJSUzI1NiJ9").contains("< 200 OK");
  }

  @Test
  void removesJwtsAndOpenShiftTokens() {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    assertThat(shapes.redact("token is " + jwt)).doesNotContain(jwt);
    assertThat(shapes.redact("oc login --token=sha256~0123456789abcdef0123")).doesNotContain("0123456789abcdef0123");
  }

  @Test
  void keepsTheRoutersFieldErrorButNotAKeyValue() {
    String router = "ExtendedValidationFailed: spec.tls.key: Invalid value: \"redacted key data\": tls: private key does not match public key";
    assertThat(shapes.redact(router)).isEqualTo(router);
    // the same message as a YAML or JSON document holds it, its quotes escaped (a route's status in a recording)
    String escaped = "message: \"" + router.replace("\"", "\\\"") + "\"";
    assertThat(shapes.redact(escaped)).isEqualTo(escaped);
    assertThat(shapes.redact("tls.key: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVkt")).doesNotContain("LS0tLS1CRUdJTi");
  }

  @Test
  void removesPrivateKeysOfAnyKind() {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----";
    String pkcs8 = "-----BEGIN PRIVATE KEY-----\nMIIdef\n-----END PRIVATE KEY-----";
    String out = shapes.redact("a\n" + pem + "\nb\n" + pkcs8 + "\n-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----");
    assertThat(out).doesNotContain("MIIabc").doesNotContain("MIIdef").contains("MIIcert");
  }

  @Test
  void removesSecretValuedKeysInYamlAndJson() {
    assertThat(shapes.redact("  password: hunter22\n  user: bob")).doesNotContain("hunter22").contains("user: bob");
    assertThat(shapes.redact("{\"token\":\"abc123def\",\"expires_in\":300}")).doesNotContain("abc123def").contains("300");
    assertThat(shapes.redact("client-key-data: LS0tLS1CRUdJTg==")).doesNotContain("LS0tLS1CRUdJTg");
  }

  @Test
  void removesCredentialsInUrlsAndEnvironment() {
    assertThat(shapes.redact("httpProxy: http://admin:Pr0xyPass@proxy:3128")).doesNotContain("Pr0xyPass")
        .contains("http://admin:").contains("@proxy:3128");
    assertThat(shapes.redact("REGISTRY_HTTP_SECRET=0123abcdef other")).doesNotContain("0123abcdef").contains("other");
    assertThat(shapes.redact("    - name: REGISTRY_HTTP_SECRET\n      value: 0a1b2c3d4e\n    - name: REGISTRY_HTTP_ADDR\n      value: :5000"))
        .doesNotContain("0a1b2c3d4e").contains("value: :5000");
  }

  @Test
  void removesQuotedAndBlockValuesWhole() {
    assertThat(shapes.redact("password: 'a b c'\nnext: 1")).doesNotContain("a b c").contains("next: 1");
    assertThat(shapes.redact("  token: |\n    line-one-secret\n    line-two-secret\n  other: x"))
        .doesNotContain("line-one-secret").doesNotContain("line-two-secret").contains("other: x");
  }

  @Test
  void leavesSecretNamesInVolumesAlone() {
    String volume = "  - name: registry-tls\n    secret:\n      secretName: image-registry-tls";
    assertThat(shapes.redact(volume)).isEqualTo(volume);
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String text = "PersistentVolume internal-registry is Bound to openshift-image-registry/internal-registry-pvc";
    assertThat(shapes.redact(text)).isEqualTo(text);
  }
}
