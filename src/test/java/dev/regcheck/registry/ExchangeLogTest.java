package dev.regcheck.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The exchange log's token masking on a small thread stack (a pod's, a JVM with -Xss512k). */
class ExchangeLogTest {

  @Test
  void aLongTokenIsMaskedWithoutDeepRecursion() throws Exception {
    String token = "eyJ" + "a".repeat(50_000) + "\\\"" + "b".repeat(50_000);
    String body = "{\"token\": \"" + token + "\", \"expires_in\": 300}";
    AtomicReference<Object> out = new AtomicReference<>();
    Thread small = new Thread(null, () -> {
      try {
        out.set(ExchangeLog.TOKEN_MEMBER.matcher(body).replaceAll("$1<redacted>\""));
      } catch (Throwable t) {
        out.set(t);
      }
    }, "small-stack", 256 * 1024);
    small.start();
    small.join();
    assertThat(out.get()).isEqualTo("{\"token\": \"<redacted>\", \"expires_in\": 300}");
  }

  @Test
  void aTokenCutOffByTheBodyLimitIsMaskedToTheEnd() {
    assertThat(ExchangeLog.TOKEN_MEMBER.matcher("{\"access_token\":\"abc\\\"def").replaceAll("$1<redacted>\""))
        .isEqualTo("{\"access_token\":\"<redacted>\"");
  }
}
