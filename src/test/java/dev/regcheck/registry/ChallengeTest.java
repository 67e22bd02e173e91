package dev.regcheck.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChallengeTest {

  @Test
  @DisplayName("a Bearer challenge: quoted values keep their commas and escapes; names are case-insensitive")
  void quotedValuesWithCommas() {
    List<Challenge> all = Challenge.parse(401, "Bearer realm=\"https://r.example/token?a=1,b=2\", "
        + "Service=\"registry, internal\",scope=\"repository:ns/a:pull,push repository:ns/b:pull\","
        + "error=\"insufficient_scope\",note=\"say \\\"hi\\\"\"");

    assertThat(all).hasSize(1);
    Challenge c = all.get(0);
    assertThat(c.isBearer()).isTrue();
    assertThat(c.status()).isEqualTo(401);
    assertThat(c.realm()).isEqualTo("https://r.example/token?a=1,b=2");
    assertThat(c.service()).isEqualTo("registry, internal");
    assertThat(c.scope()).isEqualTo("repository:ns/a:pull,push repository:ns/b:pull");
    assertThat(c.error()).isEqualTo("insufficient_scope");
    assertThat(c.params()).containsEntry("note", "say \"hi\"");
  }

  @Test
  @DisplayName("several challenges in one header, with token values and a token68 credential, stay apart")
  void severalChallenges() {
    List<Challenge> all = Challenge.parse(401,
        "Negotiate abc123==, Basic realm=openshift, Bearer realm=\"https://x/token\",service=\"svc\"");

    assertThat(all).extracting(Challenge::scheme).containsExactly("Negotiate", "Basic", "Bearer");
    assertThat(all.get(0).params()).isEmpty();
    assertThat(all.get(1).isBasic()).isTrue();
    assertThat(all.get(1).params()).isEqualTo(Map.of("realm", "openshift"));
    assertThat(all.get(2).params()).isEqualTo(Map.of("realm", "https://x/token", "service", "svc"));
  }

  @Test
  @DisplayName("several header values are read in order; garbage and empty input yield no exception")
  void robustness() {
    assertThat(Challenge.parseAll(401, List.of("Basic realm=\"a\"", "Bearer realm=\"b\"")))
        .extracting(Challenge::realm).containsExactly("a", "b");
    assertThat(Challenge.parse(401, "")).isEmpty();
    assertThat(Challenge.parse(401, null)).isEmpty();
    assertThat(Challenge.parse(401, "Bearer realm=\"unterminated")).singleElement()
        .extracting(Challenge::realm).isEqualTo("unterminated");
    assertThat(Challenge.parse(401, ",,; Bearer  ,")).extracting(Challenge::scheme).containsExactly("Bearer");
  }
}
