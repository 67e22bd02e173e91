package dev.regcheck.lab.apiserver.objects;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD store with an index by resource and name. The store itself answers every read
 * and finds every object it writes by scanning all the objects it holds, so a lab with 20,000
 * Images paid 20,000 attribute matches for each GET of a pod, and seeding them was quadratic.
 * Here the candidates of a query are the objects of its resource (plural), narrowed to its name
 * when it names one; they are then matched exactly as the store matches them (labels, fields,
 * namespace), so every answer is the one the store would give. The index follows every change
 * the store makes ({@link #processEvent}); if a change ever leaves it unable to find an object
 * where the store put it, it is dropped and the store scans again, so it can be slow but never
 * wrong. Reads take the store's own read lock, writes hold its write lock already.
 */
public final class IndexedStore extends KubernetesCrudDispatcher {
  /** {@code /apis/<group>/<version>}: the store answers these with the resources of registered CRDs. */
  private static final Pattern GROUP_VERSION = Pattern.compile("^/apis/[^/?]+/[^/?]+/?(\\?.*)?$");
  private static final String PROBE = "/api/v1/namespaces/regcheck-index-probe/pods/none";

  private final KubernetesAttributesExtractor attributes;
  /** plural, then name, then the keys of the objects with that name (one per namespace). */
  private final Map<String, Map<String, Set<AttributeSet>>> byResource = new HashMap<>();
  /** Keys without a plural or a name: candidates of every query. */
  private final Set<AttributeSet> unindexed = new LinkedHashSet<>();
  private final AtomicLong lastVersion = new AtomicLong();
  private volatile boolean indexed = true;
  private Lock captured;
  private final Lock readLock;
  private final Lock writeLock;

  public IndexedStore() {
    this.attributes = (KubernetesAttributesExtractor) attributeExtractor;
    // the store's lock is its own; it hands each lock it takes to locked(), so one read of an
    // object that does not exist shows which one its reads take
    super.handleGet(PROBE);
    Lock read = captured;
    super.handleDelete(PROBE); // nothing there: no change, but the store's write lock is taken
    this.writeLock = captured;
    this.readLock = read;
    if (readLock == null || writeLock == null || readLock == writeLock) {
      throw new IllegalStateException("fabric8's CRUD store no longer reports its locks");
    }
  }

  @Override
  protected void locked(Lock lock) {
    if (writeLock == null) {
      captured = lock;
    }
  }

  /**
   * Puts a captured object in the store exactly as it was read (uid, creation time, status and
   * resourceVersion kept: a create would make them anew), as etcd held it; {@code path} is the
   * object's collection, e.g. {@code /api/v1/namespaces/ns/pods}.
   */
  public void load(String path, String json) {
    GenericKubernetesResource resource = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json,
        GenericKubernetesResource.class);
    writeLock.lock();
    try {
      processEvent(path, attributes.fromPath(path), null, resource, json);
      long version = 0;
      try {
        version = Long.parseLong(resource.getMetadata().getResourceVersion());
      } catch (NumberFormatException | NullPointerException e) {
        // a capture without resourceVersions
      }
      lastVersion.accumulateAndGet(version, Math::max); // lists are at the newest captured version
    } finally {
      writeLock.unlock();
    }
  }

  /** Whether the index still answers (false once a change left it unable to find an object). */
  public boolean indexed() {
    return indexed;
  }

  @Override
  public long requestResourceVersion() {
    long version = super.requestResourceVersion();
    lastVersion.accumulateAndGet(version, Math::max);
    return version;
  }

  @Override
  public MockResponse handleGet(String path) {
    if (!indexed || path.contains("watch=true")) {
      return super.handleGet(path);
    }
    AttributeSet query = attributes.fromPath(path);
    readLock.lock();
    try {
      Optional<List<AttributeSet>> candidates = candidates(query);
      if (candidates.isEmpty()) {
        return super.handleGet(path);
      }
      List<String> items = matching(candidates.get(), query).stream().map(Map.Entry::getValue).toList();
      MockResponse response = new MockResponse();
      if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
        return items.isEmpty() ? response.setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
            : response.setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
      }
      if (items.isEmpty() && GROUP_VERSION.matcher(path).matches()) {
        return super.handleGet(path); // the API resources of a group version, which the store composes
      }
      return response.setResponseCode(HttpURLConnection.HTTP_OK)
          .setBody(((KubernetesResponseComposer) responseComposer).compose(items, String.valueOf(lastVersion.get())));
    } finally {
      readLock.unlock();
    }
  }

  /** An object of a list: its namespace ("" when cluster-scoped) and name, and its JSON as stored. */
  public record Listed(String namespace, String name, String json) {}

  /**
   * The objects a list request selects (labels, and the fields the store knows), as stored, with
   * the resourceVersion the list is at: what the store's own list would hold, without composing
   * and parsing it again.
   */
  public Listing list(String pathAndQuery) {
    AttributeSet query = attributes.fromPath(pathAndQuery);
    readLock.lock();
    try {
      Collection<AttributeSet> keys = indexed ? candidates(query).orElseGet(() -> List.copyOf(map.keySet()))
          : List.copyOf(map.keySet());
      List<Listed> items = matching(keys, query).stream().map(e -> new Listed(
          exact(e.getKey(), KubernetesAttributesExtractor.NAMESPACE).orElse(""),
          exact(e.getKey(), KubernetesAttributesExtractor.NAME).orElse(""), e.getValue())).toList();
      return new Listing(items, String.valueOf(lastVersion.get()));
    } finally {
      readLock.unlock();
    }
  }

  /** A list's objects and the resourceVersion it was read at. */
  public record Listing(List<Listed> items, String resourceVersion) {}

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    if (!indexed) {
      return super.findResource(query);
    }
    // called with the store's lock held
    Optional<List<AttributeSet>> candidates = candidates(query);
    if (candidates.isEmpty()) {
      return super.findResource(query);
    }
    List<Map.Entry<AttributeSet, String>> found = matching(candidates.get(), query);
    return found.isEmpty() ? null : found.get(0);
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    // called with the store's write lock held: the index changes with the store
    synchronized (byResource) {
      if (oldAttributes != null) {
        remove(oldAttributes);
      }
      if (newState != null && indexed) {
        // the key the store made, made the same way
        AttributeSet key = resource != null ? attributes.extract(resource) : attributes.fromResource(newState);
        if (!key.containsKey(KubernetesAttributesExtractor.PLURAL)) {
          key = AttributeSet.merge(pathAttributes, key);
        }
        if (map.containsKey(key)) {
          add(key);
        } else {
          drop();
        }
      }
    }
  }

  @Override
  public void reset() {
    super.reset();
    synchronized (byResource) {
      byResource.clear();
      unindexed.clear();
    }
  }

  /** The stored objects among {@code keys} that {@code query} matches, as the store matches them. */
  private List<Map.Entry<AttributeSet, String>> matching(Collection<AttributeSet> keys, AttributeSet query) {
    List<Map.Entry<AttributeSet, String>> found = new ArrayList<>();
    for (AttributeSet key : keys) {
      String object = key.matches(query) ? map.get(key) : null;
      if (object != null) {
        found.add(Map.entry(key, object));
      }
    }
    return found;
  }

  /** The keys that can match {@code query}; empty when the query names no resource (then all can). */
  private Optional<List<AttributeSet>> candidates(AttributeSet query) {
    Optional<String> plural = exact(query, KubernetesAttributesExtractor.PLURAL);
    if (plural.isEmpty()) {
      return Optional.empty();
    }
    List<AttributeSet> keys = new ArrayList<>();
    synchronized (byResource) {
      Map<String, Set<AttributeSet>> names = byResource.getOrDefault(plural.get(), Map.of());
      Optional<String> name = exact(query, KubernetesAttributesExtractor.NAME);
      if (name.isPresent()) {
        keys.addAll(names.getOrDefault(name.get(), Set.of()));
      } else {
        names.values().forEach(keys::addAll);
      }
      keys.addAll(unindexed);
    }
    return Optional.of(keys);
  }

  private static Optional<String> exact(AttributeSet set, String key) {
    Attribute attribute = set.getAttribute(key);
    if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
      return Optional.empty();
    }
    return Optional.of(String.valueOf(attribute.getValues().iterator().next()));
  }

  private void add(AttributeSet key) {
    Optional<String> plural = exact(key, KubernetesAttributesExtractor.PLURAL);
    Optional<String> name = exact(key, KubernetesAttributesExtractor.NAME);
    if (plural.isEmpty() || name.isEmpty()) {
      unindexed.add(key);
      return;
    }
    byResource.computeIfAbsent(plural.get(), p -> new LinkedHashMap<>())
        .computeIfAbsent(name.get(), n -> new LinkedHashSet<>(2)).add(key);
  }

  private void remove(AttributeSet key) {
    if (unindexed.remove(key)) {
      return;
    }
    Optional<String> plural = exact(key, KubernetesAttributesExtractor.PLURAL);
    Optional<String> name = exact(key, KubernetesAttributesExtractor.NAME);
    if (plural.isEmpty() || name.isEmpty()) {
      return;
    }
    Map<String, Set<AttributeSet>> names = byResource.get(plural.get());
    Collection<AttributeSet> keys = names == null ? null : names.get(name.get());
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        names.remove(name.get());
      }
    }
  }

  private void drop() {
    indexed = false;
    byResource.clear();
    unindexed.clear();
  }
}
