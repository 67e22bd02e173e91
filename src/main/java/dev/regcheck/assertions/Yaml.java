package dev.regcheck.assertions;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.regcheck.result.Redactor;
import io.fabric8.openshift.api.model.Route;
import java.util.stream.Collectors;

/** Objects as {@code oc get -o yaml} shows them, minus managedFields, any Secret data and a Route's private key. */
public final class Yaml {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** Plain YAML as oc prints it: no document marker, quotes only where needed. */
  private static final ObjectMapper YAML = new ObjectMapper(
      YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build());

  private static final Redactor REDACT = Redactor.shapesOnly();

  private Yaml() {}

  public static String of(Object object) {
    if (object == null) {
      return "(absent)";
    }
    Object copy = object;
    if (object instanceof HasMetadata h) {
      copy = SERIALIZATION.clone(h);
      HasMetadata c = (HasMetadata) copy;
      if (c.getMetadata() != null) {
        c.getMetadata().setManagedFields(null);
      }
      if (c instanceof Secret s) {
        s.setData(s.getData() == null ? null : s.getData().keySet().stream()
            .collect(Collectors.toMap(k -> k, k -> "<redacted>")));
        s.setStringData(null);
      }
      if (c instanceof Route r && r.getSpec() != null && r.getSpec().getTls() != null
          && r.getSpec().getTls().getKey() != null) {
        // a route carries its private key in spec.tls.key, PEM-shaped or not
        r.getSpec().getTls().setKey("<redacted>");
      }
    }
    try {
      // every dump goes through the shape redactor too (httpSecret, tokens, keys), wherever it ends up
      return REDACT.redact(YAML.writeValueAsString(SERIALIZATION.convertValue(copy, JsonNode.class)));
    } catch (JsonProcessingException e) {
      return SERIALIZATION.asYaml(copy);
    }
  }

  /** "kind/name" for a message. */
  public static String ref(HasMetadata o) {
    return o.getKind().toLowerCase() + "/" + o.getMetadata().getName();
  }
}
