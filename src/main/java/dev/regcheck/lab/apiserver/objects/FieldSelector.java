package dev.regcheck.lab.apiserver.objects;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code ?fieldSelector=} as kube-apiserver judges it: only the field labels each resource
 * registers are accepted (every resource: {@code metadata.name}, {@code metadata.namespace}; events,
 * pods, secrets, namespaces, nodes and replica sets a few more), anything else is 400
 * {@code field label not supported: <label>}; requirements are {@code =}, {@code ==} and
 * {@code !=}, joined by commas; a field the object does not have has the value "" (so
 * {@code spec.nodeName=} selects unscheduled pods). fabric8's store only understands
 * {@code metadata.name}, and answers any other label with an empty list, which no client would notice.
 */
public final class FieldSelector {
  private static final Map<String, Function<JsonNode, String>> COMMON = Map.of(
      "metadata.name", o -> text(o.path("metadata").path("name")),
      "metadata.namespace", o -> text(o.path("metadata").path("namespace")));

  /** The field labels of each resource beyond metadata's (kube's pkg/registry/.../strategy.go ToSelectableFields). */
  private static final Map<String, Map<String, Function<JsonNode, String>>> BY_RESOURCE = Map.of(
      "events", Map.ofEntries(
          Map.entry("involvedObject.kind", o -> text(o.path("involvedObject").path("kind"))),
          Map.entry("involvedObject.namespace", o -> text(o.path("involvedObject").path("namespace"))),
          Map.entry("involvedObject.name", o -> text(o.path("involvedObject").path("name"))),
          Map.entry("involvedObject.uid", o -> text(o.path("involvedObject").path("uid"))),
          Map.entry("involvedObject.apiVersion", o -> text(o.path("involvedObject").path("apiVersion"))),
          Map.entry("involvedObject.resourceVersion", o -> text(o.path("involvedObject").path("resourceVersion"))),
          Map.entry("involvedObject.fieldPath", o -> text(o.path("involvedObject").path("fieldPath"))),
          Map.entry("reason", o -> text(o.path("reason"))),
          Map.entry("reportingComponent", o -> text(o.path("reportingComponent"))),
          Map.entry("source", o -> text(o.path("source").path("component"))),
          Map.entry("type", o -> text(o.path("type")))),
      "pods", Map.of(
          "spec.nodeName", o -> text(o.path("spec").path("nodeName")),
          "spec.restartPolicy", o -> text(o.path("spec").path("restartPolicy")),
          "spec.schedulerName", o -> text(o.path("spec").path("schedulerName")),
          "spec.serviceAccountName", o -> text(o.path("spec").path("serviceAccountName")),
          "spec.hostNetwork", o -> String.valueOf(o.path("spec").path("hostNetwork").asBoolean(false)),
          "status.phase", o -> text(o.path("status").path("phase")),
          "status.podIP", o -> text(o.path("status").path("podIP")),
          "status.nominatedNodeName", o -> text(o.path("status").path("nominatedNodeName"))),
      "secrets", Map.of("type", o -> text(o.path("type"))),
      "namespaces", Map.of("status.phase", o -> text(o.path("status").path("phase"))),
      "nodes", Map.of("spec.unschedulable", o -> String.valueOf(o.path("spec").path("unschedulable").asBoolean(false))),
      "replicasets", Map.of("status.replicas", o -> o.path("status").path("replicas").asText("0")),
      "replicationcontrollers", Map.of("status.replicas", o -> o.path("status").path("replicas").asText("0")));

  private record Requirement(String label, Function<JsonNode, String> field, String value, boolean equal) {
    boolean test(JsonNode object) {
      return field.apply(object).equals(value) == equal;
    }
  }

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /** The selector of {@code resource} (a plural), or the message of the 400 a real server answers. */
  public static Parsed parse(String resource, String selector) {
    List<Requirement> requirements = new ArrayList<>();
    for (String term : selector.split(",", -1)) {
      if (term.isBlank()) {
        continue; // apimachinery skips empty terms ("a=b," is "a=b"; "" selects everything)
      }
      int ne = term.indexOf("!=");
      int eq = term.indexOf('=');
      if (eq <= 0 && ne <= 0) {
        return Parsed.error("invalid selector: '" + selector + "'; can't understand '" + term + "'");
      }
      boolean equal = ne < 0 || eq < ne;
      String label = (equal ? term.substring(0, eq) : term.substring(0, ne)).trim();
      String value = equal ? term.substring(term.startsWith("==", eq) ? eq + 2 : eq + 1) : term.substring(ne + 2);
      Function<JsonNode, String> field = COMMON.get(label);
      if (field == null) {
        field = BY_RESOURCE.getOrDefault(resource, Map.of()).get(label);
      }
      if (field == null) {
        return Parsed.error("field label not supported: " + label);
      }
      requirements.add(new Requirement(label, field, value.trim(), equal));
    }
    return new Parsed(new FieldSelector(List.copyOf(requirements)), null);
  }

  /** Whether the object (as JSON) meets every requirement. */
  public Predicate<JsonNode> matcher() {
    return object -> requirements.stream().allMatch(r -> r.test(object));
  }

  /** A parsed selector, or why it is refused. */
  public record Parsed(FieldSelector selector, String error) {
    static Parsed error(String message) {
      return new Parsed(null, message);
    }
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }
}
