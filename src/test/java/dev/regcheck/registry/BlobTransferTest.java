package dev.regcheck.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Large blobs pulled through the two-thread copy and blobs moved side by side: the bytes and counts are
 * the blob's, a byte that differs from the digest still fails the pull, a failing sink is the failure
 * reported (not a mismatch), and no copying thread outlives its pull.
 */
class BlobTransferTest {
  private static final String SECRET = "s3cret-token-value";
  private static final String REPO = "openshift/hello-world";
  private static TestPki pki;
  private static TestPki.Serving serving;

  private MockWebServer server;
  private FakeRegistry registry;

  @BeforeAll
  static void pki() throws Exception {
    pki = TestPki.create("regcheck test CA");
    serving = pki.issue(List.of(TestPki.SERVICE));
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

  private RegistryClient client() {
    return RegistryClient.builder().registry(FakeRegistry.HOST)
        .addresses(AddressMap.of(Map.of(FakeRegistry.HOST, "127.0.0.1:" + server.getPort())))
        .trust(List.of(pki.ca())).credentials(Credentials.basic("developer", SECRET))
        .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)).build();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private void serve(String digest, byte[] body) {
    registry.route("GET /v2/" + REPO + "/blobs/" + digest,
        new MockResponse.Builder().code(200).body(new Buffer().write(body)).build());
  }

  private static long copyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("registry-blob-writer") || t.getName().startsWith("registry-transfer-"))
        .filter(Thread::isAlive).count();
  }

  @Test
  @DisplayName("a blob above 4 MiB is copied by two threads: same bytes and count; a changed byte still fails the pull")
  void largeBlobPipelined() throws Exception {
    byte[] blob = random(9 << 20, 1);
    String digest = Digests.sha256(blob);
    serve(digest, blob);
    try (RegistryClient client = client()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(client.pullBlob(REPO, digest, out)).isEqualTo(blob.length);
      assertThat(out.toByteArray()).isEqualTo(blob);

      byte[] changed = blob.clone();
      changed[7 << 20] ^= 1;
      serve(digest, changed);
      assertThatThrownBy(() -> client.pullBlob(REPO, digest, new ByteArrayOutputStream()))
          .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
            assertThat(e.expected()).isEqualTo(digest);
            assertThat(e.actual()).isEqualTo(Digests.sha256(changed));
          });
    }
    assertThat(copyThreads()).as("copying threads left").isZero();
  }

  @Test
  @DisplayName("a sink that fails in the middle of a large blob is the failure reported, and the copy stops")
  void failingSink() throws Exception {
    byte[] blob = random(12 << 20, 2);
    String digest = Digests.sha256(blob);
    serve(digest, blob);
    AtomicInteger writes = new AtomicInteger();
    OutputStream disk = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (writes.incrementAndGet() == 3) {
          throw new IOException("No space left on device");
        }
      }
    };
    try (RegistryClient client = client()) {
      assertThatThrownBy(() -> client.pullBlob(REPO, digest, disk)).isInstanceOf(IOException.class)
          .isNotInstanceOf(DigestMismatchException.class).hasMessage("No space left on device");
    }
    assertThat(writes.get()).as("no write after the failed one").isEqualTo(3);
    assertThat(copyThreads()).as("copying threads left").isZero();
  }

  @Test
  @DisplayName("pullBlobs moves blobs side by side into their own sinks, counts in the digests' order; a missing one fails it")
  void pullBlobsSideBySide() throws Exception {
    List<byte[]> blobs = List.of(random(5 << 20, 3), random(1000, 4), random(6 << 20, 5), random(10, 6));
    List<String> digests = new ArrayList<>();
    for (byte[] b : blobs) {
      digests.add(Digests.sha256(b));
      serve(digests.get(digests.size() - 1), b);
    }
    Map<String, ByteArrayOutputStream> sinks = new ConcurrentHashMap<>();
    try (RegistryClient client = client()) {
      List<Long> counts = client.pullBlobs(REPO, digests, 3, d -> sinks.computeIfAbsent(d, k -> new ByteArrayOutputStream()));
      assertThat(counts).containsExactly(5L << 20, 1000L, 6L << 20, 10L);
      for (int i = 0; i < blobs.size(); i++) {
        assertThat(sinks.get(digests.get(i)).toByteArray()).isEqualTo(blobs.get(i));
      }
      List<String> withMissing = new ArrayList<>(digests);
      withMissing.add(2, Digests.sha256(new byte[] {1, 2, 3}));
      assertThatThrownBy(() -> client.pullBlobs(REPO, withMissing, 3, d -> new ByteArrayOutputStream()))
          .isInstanceOf(RegistryException.class).hasMessageContaining("404");
    }
    assertThat(copyThreads()).as("copying threads left").isZero();
  }

  @Test
  @DisplayName("Concurrently.map keeps the items' order, bounds how many run at once, and throws the first failure")
  void concurrentlyOrderBoundAndFailure() throws Exception {
    AtomicInteger running = new AtomicInteger();
    List<Integer> peaks = Collections.synchronizedList(new ArrayList<>());
    List<Integer> items = List.of(1, 2, 3, 4, 5, 6, 7, 8);
    List<Integer> out = Concurrently.map(items, 3, i -> {
      peaks.add(running.incrementAndGet());
      try {
        Thread.sleep(20L * (9 - i));
      } catch (InterruptedException e) {
        throw new IOException(e);
      } finally {
        running.decrementAndGet();
      }
      return i * 10;
    });
    assertThat(out).containsExactly(10, 20, 30, 40, 50, 60, 70, 80);
    assertThat(peaks).allMatch(p -> p <= 3).contains(3);
    assertThatThrownBy(() -> Concurrently.map(items, 4, i -> {
      if (i == 5) {
        throw new IOException("blob 5 refused");
      }
      return i;
    })).isInstanceOf(IOException.class).hasMessage("blob 5 refused");
    assertThatThrownBy(() -> Concurrently.map(items, 0, i -> i)).isInstanceOf(IllegalArgumentException.class);
    assertThat(copyThreads()).as("copying threads left").isZero();
  }
}
