package dev.regcheck.lab.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.lab.apiserver.objects.FieldSelector;
import org.junit.jupiter.api.Test;

/** Field selectors as kube-apiserver parses them: =, ==, !=, commas, "" for absent fields, 400 for the rest. */
class FieldSelectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void judgesAsTheServer() throws Exception {
    JsonNode pending = JSON.readTree("{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\"},\"spec\":{},"
        + "\"status\":{\"phase\":\"Pending\"}}");
    JsonNode running = JSON.readTree("{\"metadata\":{\"name\":\"q\",\"namespace\":\"n\"},"
        + "\"spec\":{\"nodeName\":\"master0\"},\"status\":{\"phase\":\"Running\"}}");
    assertThat(matches("pods", "spec.nodeName=", pending)).isTrue(); // unscheduled: the field is ""
    assertThat(matches("pods", "spec.nodeName=", running)).isFalse();
    assertThat(matches("pods", "status.phase!=Running,metadata.namespace==n", pending)).isTrue();
    assertThat(matches("pods", "status.phase!=Running,metadata.namespace==n", running)).isFalse();
    assertThat(matches("pods", "metadata.name=q", running)).isTrue();
    assertThat(matches("pods", "", running)).isTrue(); // an empty selector selects everything

    assertThat(FieldSelector.parse("configmaps", "status.phase=Running").error())
        .isEqualTo("field label not supported: status.phase");
    assertThat(FieldSelector.parse("pods", "status.phase").error())
        .isEqualTo("invalid selector: 'status.phase'; can't understand 'status.phase'");
    assertThat(matches("pods", "metadata.name=q,,", running)).isTrue(); // empty terms are skipped, as apimachinery does
    assertThat(FieldSelector.parse("pods", "metadata.name=q,phase").error())
        .isEqualTo("invalid selector: 'metadata.name=q,phase'; can't understand 'phase'");
  }

  private static boolean matches(String resource, String selector, JsonNode object) {
    FieldSelector.Parsed parsed = FieldSelector.parse(resource, selector);
    assertThat(parsed.error()).as(selector).isNull();
    return parsed.selector().matcher().test(object);
  }
}
