package dev.regcheck.lab.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regcheck.lab.apiserver.objects.IndexedStore;
import dev.regcheck.lab.apiserver.objects.Store;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The indexed store answers every request exactly as fabric8's store does (it only narrows which
 * objects it matches): the same sequence of creates, updates, patches, deletions with and without
 * finalizers, and reads by name, by label, by field, across namespaces and of a group version, sent
 * to both, gets the same code and the same objects from each; and the index is still in use at the end.
 */
class IndexedStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IndexedStore indexed = new IndexedStore();
  private final KubernetesCrudDispatcher plain = new KubernetesCrudDispatcher();

  @Test
  void answersAsTheStoreDoes() throws Exception {
    for (KubernetesCrudDispatcher store : List.of(indexed, plain)) {
      // a CRD-backed kind whose plural also names another group's resource (config Image vs image Image)
      store.expectCustomResource(new CustomResourceDefinitionContext.Builder().withName("images.config.openshift.io")
          .withGroup("config.openshift.io").withVersion("v1").withPlural("images").withKind("Image")
          .withScope("Cluster").withStatusSubresource(true).build());
    }
    List<String> reads = new ArrayList<>();
    Random random = new Random(14);
    for (int i = 0; i < 60; i++) {
      String ns = "ns" + (i % 3);
      String name = "obj" + (i % 20); // the same name in several namespaces
      same(HttpMethod.POST, "/api/v1/namespaces/" + ns + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
          + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\",\"labels\":{\"app\":\"a" + (i % 4)
          + "\"}},\"data\":{\"i\":\"" + i + "\"}}");
      same(HttpMethod.POST, "/apis/image.openshift.io/v1/images", "{\"apiVersion\":\"image.openshift.io/v1\","
          + "\"kind\":\"Image\",\"metadata\":{\"name\":\"sha256:" + i + "\"},\"dockerImageReference\":\"r/" + i + "\"}");
      if (random.nextInt(5) == 0) {
        same(HttpMethod.PATCH, "/api/v1/namespaces/" + ns + "/configmaps/" + name,
            "[{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"yes\"}]");
      }
    }
    same(HttpMethod.POST, "/apis/config.openshift.io/v1/images", "{\"apiVersion\":\"config.openshift.io/v1\","
        + "\"kind\":\"Image\",\"metadata\":{\"name\":\"cluster\"},\"spec\":{}}");
    same(HttpMethod.PUT, "/api/v1/namespaces/ns1/configmaps/obj1", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"obj1\",\"namespace\":\"ns1\",\"labels\":{\"app\":\"moved\"},"
        + "\"finalizers\":[\"regcheck/hold\"]},\"data\":{}}");
    same(HttpMethod.DELETE, "/api/v1/namespaces/ns1/configmaps/obj1", null); // marked, kept: a finalizer
    same(HttpMethod.DELETE, "/api/v1/namespaces/ns2/configmaps/obj2", null);
    same(HttpMethod.DELETE, "/apis/image.openshift.io/v1/images/sha256:7", null);
    same(HttpMethod.POST, "/api/v1/namespaces/ns0/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"obj0\",\"namespace\":\"ns0\"}}"); // exists: 409 from both

    reads.addAll(List.of("/api/v1/namespaces/ns0/configmaps/obj3", "/api/v1/namespaces/ns1/configmaps/obj1",
        "/api/v1/namespaces/ns2/configmaps/obj2", "/api/v1/namespaces/ns9/configmaps/obj3",
        "/api/v1/namespaces/ns1/configmaps", "/api/v1/configmaps", "/api/v1/configmaps?labelSelector=app%3Da1",
        "/api/v1/namespaces/ns0/configmaps?labelSelector=app!%3Da1", "/api/v1/configmaps?labelSelector=patched",
        "/api/v1/configmaps?labelSelector=!patched", "/api/v1/configmaps?fieldSelector=metadata.name%3Dobj4",
        "/api/v1/namespaces/ns2/configmaps?fieldSelector=metadata.namespace%3Dns2",
        "/apis/image.openshift.io/v1/images", "/apis/image.openshift.io/v1/images/sha256:7",
        "/apis/image.openshift.io/v1/images/sha256:8", "/apis/config.openshift.io/v1/images",
        "/apis/config.openshift.io/v1/images/cluster", "/apis/config.openshift.io/v1",
        "/api/v1/namespaces/ns0/secrets", "/api/v1/namespaces/ns0/secrets/none"));
    for (String read : reads) {
      same(HttpMethod.GET, read, null);
    }
    for (String list : reads.stream().filter(r -> !r.matches(".*/(obj\\d+|sha256:\\d+|cluster|none)$")).toList()) {
      // the listing the dispatcher pages holds exactly the objects of the store's own list
      JsonNode fromPlain = JSON.readTree(Store.body(plain.dispatch(Store.request(HttpMethod.GET, list, null))));
      if (fromPlain.get("items") == null) {
        continue; // a group version's resources, not a list of objects
      }
      List<String> expected = new ArrayList<>();
      fromPlain.get("items").forEach(i -> expected.add(i.path("metadata").path("namespace").asText() + "/"
          + i.path("metadata").path("name").asText() + " " + i.path("metadata").path("resourceVersion").asText()));
      List<String> listed = new ArrayList<>();
      for (IndexedStore.Listed item : indexed.list(list).items()) {
        JsonNode object = JSON.readTree(item.json());
        assertThat(item.namespace() + "/" + item.name()).isEqualTo(object.path("metadata").path("namespace").asText()
            + "/" + object.path("metadata").path("name").asText());
        listed.add(item.namespace() + "/" + item.name() + " " + object.path("metadata").path("resourceVersion").asText());
      }
      assertThat(listed).as(list).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(indexed.indexed()).isTrue();
  }

  private void same(HttpMethod method, String path, String body) throws Exception {
    String type = method == HttpMethod.PATCH ? "application/json-patch+json" : "application/json";
    MockResponse fromIndexed = indexed.dispatch(Store.request(method, path, type, body));
    MockResponse fromPlain = plain.dispatch(Store.request(method, path, type, body));
    assertThat(fromIndexed.code()).as("%s %s", method, path).isEqualTo(fromPlain.code());
    String a = Store.body(fromIndexed);
    String b = Store.body(fromPlain);
    if (method == HttpMethod.GET && !a.isEmpty()) {
      assertThat(normalized(a)).as("%s %s", method, path).isEqualTo(normalized(b));
    }
  }

  /**
   * The same objects: a list's items in name order (the store's order is insertion, which no reader
   * may rely on), without what each store makes up itself (uid, creation and deletion times).
   */
  private static JsonNode normalized(String body) throws Exception {
    JsonNode node = JSON.readTree(body);
    List<JsonNode> objects = new ArrayList<>();
    if (node.get("items") != null && node.get("items").isArray()) {
      node.get("items").forEach(objects::add);
      objects.sort(Comparator.comparing((JsonNode i) -> i.path("metadata").path("namespace").asText())
          .thenComparing(i -> i.path("metadata").path("name").asText()));
      ((ObjectNode) node).set("items", JSON.createArrayNode().addAll(objects));
    } else {
      objects.add(node);
    }
    for (JsonNode object : objects) {
      if (object.get("metadata") instanceof ObjectNode metadata) {
        metadata.remove(List.of("uid", "creationTimestamp"));
        if (metadata.has("deletionTimestamp")) {
          metadata.put("deletionTimestamp", "set");
        }
      }
    }
    return node;
  }
}
