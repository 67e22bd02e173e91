package dev.regcheck.registry;

import dev.regcheck.tls.HttpsProxy;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A client of the OCI Distribution / Docker Registry HTTP API v2, speaking HTTPS to one registry
 * (the OpenShift registry service {@code image-registry.openshift-image-registry.svc:5000} or a
 * route). It authenticates as the registry asks (bearer tokens from the challenge's realm, or
 * HTTP Basic), streams blobs both ways
 * without holding them in memory, verifies every digest, and records each exchange in its
 * {@link ExchangeLog}.
 *
 * <p>Every operation throws {@link RegistryException} (an {@link IOException}) when the registry
 * answers other than expected or cannot be reached; plain {@code IOException}s come only from the
 * caller's own streams. Repositories are {@code namespace/name}; references are tags or digests.
 */
public final class RegistryClient implements AutoCloseable {
  public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
  private static final String CATALOG_SCOPE = "registry:catalog:*";
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern AUTHORITY =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");
  /** One link of a {@code Link} header: its target and its parameters. */
  private static final Pattern LINK = Pattern.compile("<([^>]*)>([^,<]*)");
  private static final Pattern REL = Pattern.compile("(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;,\"]+))");
  private static final Pattern UPLOAD_PATH = Pattern.compile("/v2/(.+)/blobs/uploads/[^/]*");
  private static final int MANIFEST_LIMIT = 4 * 1024 * 1024;
  private static final int LIST_LIMIT = 16 * 1024 * 1024;
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_PAGES = 100_000;
  private static final String DIGEST_HEADER = "Docker-Content-Digest";

  private final String authority;
  private final HttpUrl base;
  private final Credentials credentials;
  private final int chunkSize;
  private final Transport transport;
  private final TokenAuth auth;

  private RegistryClient(Builder b) {
    this.authority = b.authority;
    this.base = HttpUrl.get("https://" + b.authority + "/");
    this.credentials = b.credentials;
    this.chunkSize = b.chunkSize;
    Tls tls = b.insecure ? Tls.insecure() : b.roots != null ? Tls.trusting(b.roots) : Tls.system();
    this.transport = new Transport(base, b.addresses, tls, b.connect, b.read, b.log, b.proxy);
    this.auth = new TokenAuth(transport, b.credentials, b.clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The logical {@code host:port} this client talks to. */
  public String registry() {
    return authority;
  }

  public ExchangeLog exchanges() {
    return transport.log();
  }

  /**
   * {@code GET /v2/} without credentials: the status and the challenge it carried (the bearer one
   * if there are several; {@link Challenge#scheme()} empty when none).
   */
  public Challenge ping() throws IOException {
    try (Response r = transport.send(new Request.Builder().url(v2()).get().build())) {
      List<Challenge> challenges = Challenge.parseAll(r.code(), r.headers("WWW-Authenticate"));
      auth.learn(r.code(), challenges);
      return challenges.stream().filter(Challenge::isBearer).findFirst()
          .orElse(challenges.isEmpty() ? Challenge.none(r.code()) : challenges.get(0));
    }
  }

  /** Makes {@code GET /v2/} answer 200 with the credentials ({@code podman login}). */
  public void login() throws IOException {
    try (Response r = exchange(new Request.Builder().url(v2()).get(), Set.of())) {
      expect(r, Set.of(), 200);
    }
  }

  /** {@code GET /v2/_catalog?n=<pageSize>}, following {@code Link: <…>; rel="next"} to the end. */
  public Catalog catalog(int pageSize) throws IOException {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
    }
    HttpUrl first = v2().newBuilder().addPathSegment("_catalog").addQueryParameter("n", Integer.toString(pageSize)).build();
    List<String> repositories = new ArrayList<>();
    int pages = paginate(first, Set.of(CATALOG_SCOPE), "repositories", repositories);
    return new Catalog(repositories, pages);
  }

  /** {@code GET /v2/<repo>/tags/list}, following pagination; empty when the repository has no tags. */
  public List<String> tags(String repo) throws IOException {
    List<String> tags = new ArrayList<>();
    paginate(url(repo, "tags", "list"), Set.of(pull(repo)), "tags", tags);
    return tags;
  }

  private int paginate(HttpUrl first, Set<String> scopes, String member, List<String> into) throws IOException {
    HttpUrl url = first;
    int pages = 0;
    while (url != null) {
      if (++pages > MAX_PAGES) {
        throw RegistryException.protocol("GET", transport.target(first), 200, "more than " + MAX_PAGES + " pages");
      }
      try (Response r = exchange(new Request.Builder().url(url).get(), scopes)) {
        expect(r, scopes, 200);
        JsonNode json = Json.read(r, LIST_LIMIT, "GET", transport.target(url));
        json.path(member).forEach(n -> into.add(n.asText()));
        url = next(r);
      }
    }
    return pages;
  }

  /** The {@code rel="next"} target of the answer's {@code Link} headers, resolved against its URL. */
  private static HttpUrl next(Response r) {
    for (String header : r.headers("Link")) {
      Matcher link = LINK.matcher(header);
      while (link.find()) {
        Matcher rel = REL.matcher(link.group(2));
        while (rel.find()) {
          String relations = rel.group(1) != null ? rel.group(1) : rel.group(2);
          if (List.of(relations.strip().split("\\s+")).contains("next")) {
            return r.request().url().resolve(link.group(1).strip());
          }
        }
      }
    }
    return null;
  }

  /**
   * Pushes a blob in one request: HEAD first (present: nothing is sent, and the descriptor says
   * {@code alreadyPresent}), else POST an upload and PUT the whole content, streamed from
   * {@link Blob#open()}, to {@code <Location>&digest=}.
   */
  public Descriptor pushBlob(String repo, Blob blob) throws IOException {
    Set<String> scopes = Set.of(push(repo));
    try (Response head = exchange(new Request.Builder().url(url(repo, "blobs", blob.digest())).head(), scopes)) {
      if (head.code() == 200) {
        return new Descriptor(blob.mediaType(), blob.digest(), blob.size(), true);
      }
      expect(head, scopes, 404);
    }
    HttpUrl location = startUpload(repo, scopes);
    HttpUrl put = location.newBuilder().addQueryParameter("digest", blob.digest()).build();
    try (Response r = exchange(new Request.Builder().url(put).put(Transport.stream(blob)), scopes)) {
      expect(r, scopes, 201);
      checkDigestHeader(r, blob.digest());
    }
    return new Descriptor(blob.mediaType(), blob.digest(), blob.size());
  }

  /** How many blobs of one image move at once (skopeo moves up to 6; this machine class has 2 cores). */
  public static final int PARALLEL_BLOBS = 4;

  /**
   * Pushes the blobs of one image side by side, at most {@code parallel} at once, each as {@link #pushBlob};
   * the descriptors in the blobs' order. The first failure is thrown once the others have ended.
   */
  public List<Descriptor> pushBlobs(String repo, List<? extends Blob> blobs, int parallel) throws IOException {
    return Concurrently.map(List.copyOf(blobs), parallel, blob -> pushBlob(repo, blob));
  }

  /** Where a pulled blob goes: a sink opened for its digest (closed by the pull). */
  public interface BlobSink {
    OutputStream open(String digest) throws IOException;
  }

  /**
   * Pulls blobs side by side, at most {@code parallel} at once, each as {@link #pullBlob} into the sink
   * {@code sinks} opens for it; the byte counts in the digests' order.
   */
  public List<Long> pullBlobs(String repo, List<String> digests, int parallel, BlobSink sinks) throws IOException {
    return Concurrently.map(List.copyOf(digests), parallel, digest -> {
      try (OutputStream sink = sinks.open(digest)) {
        return pullBlob(repo, digest, sink);
      }
    });
  }

  /**
   * Pushes a stream of unknown digest in one pass: POST an upload, PATCH chunks of the configured
   * size with {@code Content-Range} (each to the previous answer's {@code Location}), hashing as it
   * goes, then PUT {@code ?digest=} with an empty body. At most one chunk is held in memory.
   */
  public Descriptor pushBlobChunked(String repo, InputStream in) throws IOException {
    Set<String> scopes = Set.of(push(repo));
    HttpUrl location = startUpload(repo, scopes);
    MessageDigest sha256 = Digests.sha256();
    MediaType octets = MediaType.get(MediaTypes.OCTET_STREAM);
    byte[] chunk = new byte[chunkSize];
    long offset = 0;
    while (true) {
      int n = in.readNBytes(chunk, 0, chunkSize);
      if (n == 0) {
        break;
      }
      sha256.update(chunk, 0, n);
      String range = offset + "-" + (offset + n - 1);
      Request.Builder patch = new Request.Builder().url(location)
          .patch(RequestBody.create(chunk, octets, 0, n)).header("Content-Range", range);
      try (Response r = exchange(patch, scopes)) {
        expect(r, scopes, 202);
        String acknowledged = r.header("Range");
        if (acknowledged != null && !acknowledged.equals("0-" + (offset + n - 1))) {
          throw RegistryException.protocol("PATCH", transport.target(location), 202,
              "sent bytes " + range + " but the registry holds Range " + acknowledged);
        }
        location = location(r);
      }
      offset += n;
      if (n < chunkSize) {
        break;
      }
    }
    String digest = Digests.format(sha256);
    HttpUrl put = location.newBuilder().addQueryParameter("digest", digest).build();
    try (Response r = exchange(new Request.Builder().url(put).put(RequestBody.EMPTY), scopes)) {
      expect(r, scopes, 201);
      checkDigestHeader(r, digest);
    }
    return new Descriptor(MediaTypes.OCTET_STREAM, digest, offset);
  }

  /**
   * Cross-repository mount ({@code POST …/blobs/uploads/?mount=<digest>&from=<fromRepo>}): true when
   * mounted (201); false when the registry opened an upload instead (202), which is then cancelled.
   * A refused cancel (it needs delete access, which few users have) is left in the exchange log; the
   * registry expires abandoned uploads.
   */
  public boolean mountBlob(String repo, String digest, String fromRepo) throws IOException {
    requireDigest(digest);
    Set<String> scopes = Set.of(push(repo), pull(fromRepo));
    HttpUrl url = uploads(repo).newBuilder().addQueryParameter("mount", digest).addQueryParameter("from", fromRepo).build();
    HttpUrl opened;
    try (Response r = exchange(new Request.Builder().url(url).post(RequestBody.EMPTY), scopes)) {
      if (r.code() == 201) {
        return true;
      }
      expect(r, scopes, 202);
      opened = location(r);
    }
    try {
      cancelUpload(opened.toString());
    } catch (RegistryException refused) {
      // recorded in the exchange log; the mount question is answered either way
    }
    return false;
  }

  /** {@code DELETE <location>} of an upload session (a {@code Location} from this registry). */
  public void cancelUpload(String location) throws IOException {
    HttpUrl url = base.resolve(location);
    if (url == null) {
      throw new IllegalArgumentException("not an upload location: " + location);
    }
    Matcher m = UPLOAD_PATH.matcher(url.encodedPath());
    Set<String> scopes = m.matches() ? Set.of(delete(m.group(1))) : Set.of();
    try (Response r = exchange(new Request.Builder().url(url).delete(), scopes)) {
      expect(r, scopes, 204, 200, 202);
    }
  }

  /** PUT a manifest; expects 201 and returns its {@code Docker-Content-Digest}, which must be sha256(body). */
  public String putManifest(String repo, String reference, String mediaType, byte[] body) throws IOException {
    Set<String> scopes = Set.of(push(repo));
    HttpUrl url = url(repo, "manifests", reference(reference));
    String digest = Digests.sha256(body);
    try (Response r = exchange(new Request.Builder().url(url).put(RequestBody.create(body, MediaType.get(mediaType))), scopes)) {
      expect(r, scopes, 201);
      checkDigestHeader(r, digest);
    }
    return digest;
  }

  /**
   * GET a manifest, accepting OCI and Docker manifests and indexes. The bytes are verified against
   * the reference when it is a digest, and against {@code Docker-Content-Digest} when present.
   */
  public Manifest getManifest(String repo, String reference) throws IOException {
    Set<String> scopes = Set.of(pull(repo));
    HttpUrl url = url(repo, "manifests", reference(reference));
    try (Response r = exchange(accepting(new Request.Builder().url(url).get()), scopes)) {
      expect(r, scopes, 200);
      byte[] bytes = Json.bytes(r, MANIFEST_LIMIT, "GET", transport.target(url));
      String header = r.header(DIGEST_HEADER);
      if (Digests.isDigest(reference)) {
        verify(url, reference, bytes, "the manifest requested by digest");
      }
      if (header != null) {
        if (!Digests.isDigest(header)) {
          throw RegistryException.protocol("GET", transport.target(url), 200, DIGEST_HEADER + " is not a digest: " + header);
        }
        verify(url, header, bytes, "the manifest against " + DIGEST_HEADER);
      }
      String digest = Digests.isDigest(reference) ? reference : header != null ? header : Digests.sha256(bytes);
      return new Manifest(mediaType(r), digest, bytes);
    }
  }

  /** HEAD a manifest: its descriptor, or empty on 404. */
  public Optional<Descriptor> headManifest(String repo, String reference) throws IOException {
    Set<String> scopes = Set.of(pull(repo));
    HttpUrl url = url(repo, "manifests", reference(reference));
    try (Response r = exchange(accepting(new Request.Builder().url(url).head()), scopes)) {
      if (r.code() == 404) {
        return Optional.empty();
      }
      expect(r, scopes, 200);
      String digest = r.header(DIGEST_HEADER, Digests.isDigest(reference) ? reference : null);
      if (digest == null) {
        throw RegistryException.protocol("HEAD", transport.target(url), 200, "no " + DIGEST_HEADER + " for a tag");
      }
      return Optional.of(new Descriptor(mediaType(r), digest, contentLength(r)));
    }
  }

  /**
   * Streams a blob into {@code sink} while hashing it; returns the byte count. Redirects (307 to
   * storage) are followed without the registry's {@code Authorization}.
   *
   * @throws DigestMismatchException when the bytes do not hash to {@code digest}; the sink then
   *     holds them all
   */
  public long pullBlob(String repo, String digest, OutputStream sink) throws IOException {
    requireDigest(digest);
    Set<String> scopes = Set.of(pull(repo));
    HttpUrl url = url(repo, "blobs", digest);
    Response r = exchange(new Request.Builder().url(url).get(), scopes);
    for (int hops = 0; isRedirect(r.code()); hops++) {
      try (Response redirect = r) {
        if (hops == MAX_REDIRECTS) {
          throw RegistryException.protocol("GET", transport.target(url), redirect.code(),
              "more than " + MAX_REDIRECTS + " redirects");
        }
        // exchange() authorizes only requests to the registry itself
        r = exchange(new Request.Builder().url(location(redirect)).get(), scopes);
      }
    }
    try (Response answer = r) {
      expect(answer, scopes, 200);
      MessageDigest md = Digests.forDigest(digest);
      long count = VerifiedCopy.copy(answer.body().byteStream(), sink, md, answer.body().contentLength(),
          e -> transport.connectionFailure(answer.request(), e));
      String actual = Digests.format(md);
      if (!actual.equals(digest)) {
        throw new DigestMismatchException("GET", transport.target(url), 200, digest, actual, "the blob's " + count + " bytes");
      }
      return count;
    }
  }

  /** DELETE a manifest by digest (the API has no delete by tag); expects 202. */
  public void deleteManifest(String repo, String digest) throws IOException {
    if (!Digests.isDigest(digest)) {
      throw new IllegalArgumentException("manifests are deleted by digest only (sha256:…), not by tag: " + digest);
    }
    Set<String> scopes = Set.of(delete(repo));
    try (Response r = exchange(new Request.Builder().url(url(repo, "manifests", digest)).delete(), scopes)) {
      expect(r, scopes, 202);
    }
  }

  // --- the exchange: authorization and one retry on 401 ---

  /**
   * Sends a request to the registry with the authorization the scopes need and, on a 401, retries
   * with what the challenge asks for: at most once per scheme (a refused bearer token may be
   * followed by a Basic challenge, as OpenShift does). Before the first request with a body,
   * {@code /v2/} is asked which scheme the registry wants, so that a body is not sent twice.
   * Requests elsewhere (a redirect to storage) carry no credentials. The caller closes the response.
   */
  private Response exchange(Request.Builder request, Set<String> scopes) throws IOException {
    Request plain = request.build();
    if (!transport.isRegistry(plain.url())) {
      return transport.send(plain);
    }
    if (plain.body() != null && !auth.known()) {
      ping();
    }
    String authorization = auth.authorization(scopes);
    Response response = transport.send(authorized(request, authorization));
    Set<String> retried = new HashSet<>();
    while (response.code() == 401) {
      String retry;
      try {
        retry = auth.answer(Challenge.parseAll(401, response.headers("WWW-Authenticate")), scopes, authorization);
      } catch (IOException | RuntimeException e) {
        response.close();
        throw e;
      }
      if (retry == null || !retried.add(retry.substring(0, retry.indexOf(' ')))) {
        return response;
      }
      response.close();
      authorization = retry;
      response = transport.send(authorized(request, retry));
    }
    return response;
  }

  private static Request authorized(Request.Builder request, String authorization) {
    return (authorization == null ? request.removeHeader("Authorization")
        : request.header("Authorization", authorization)).build();
  }

  private void expect(Response r, Set<String> scopes, int... expected) throws RegistryException {
    for (int code : expected) {
      if (r.code() == code) {
        return;
      }
    }
    String suffix = (r.code() == 401 || r.code() == 403) && !scopes.isEmpty()
        ? "(scope " + String.join(" ", new TreeSet<>(scopes)) + ")" : "";
    throw RegistryException.http(r.request().method(), transport.target(r.request().url()), r.code(), r.message(),
        Json.errors(r), suffix);
  }

  private void checkDigestHeader(Response r, String computed) throws RegistryException {
    String returned = r.header(DIGEST_HEADER);
    String target = transport.target(r.request().url());
    if (returned == null) {
      throw RegistryException.protocol(r.request().method(), target, r.code(), "no " + DIGEST_HEADER + " in the answer");
    }
    if (!returned.equals(computed)) {
      throw new DigestMismatchException(r.request().method(), target, r.code(), computed, returned,
          "the registry's " + DIGEST_HEADER);
    }
  }

  private void verify(HttpUrl url, String digest, byte[] bytes, String what) throws RegistryException {
    String actual = Digests.sameAlgorithm(digest, bytes);
    if (!actual.equals(digest)) {
      throw new DigestMismatchException("GET", transport.target(url), 200, digest, actual, what);
    }
  }

  /** POST {@code /v2/<repo>/blobs/uploads/}; expects 202 and returns the upload's {@code Location}. */
  private HttpUrl startUpload(String repo, Set<String> scopes) throws IOException {
    try (Response r = exchange(new Request.Builder().url(uploads(repo)).post(RequestBody.EMPTY), scopes)) {
      expect(r, scopes, 202);
      return location(r);
    }
  }

  private HttpUrl location(Response r) throws RegistryException {
    String location = r.header("Location");
    HttpUrl url = location == null ? null : r.request().url().resolve(location);
    if (url == null) {
      throw RegistryException.protocol(r.request().method(), transport.target(r.request().url()), r.code(),
          location == null ? "no Location in the answer" : "unusable Location " + location);
    }
    return url;
  }

  /** The {@code Content-Length} header (a HEAD answer has no body to ask), or -1. */
  private static long contentLength(Response r) {
    try {
      return Long.parseLong(r.header("Content-Length", "-1").strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }

  private static Request.Builder accepting(Request.Builder request) {
    return request.header("Accept", String.join(", ", MediaTypes.MANIFESTS));
  }

  private static String mediaType(Response r) {
    String type = r.header("Content-Type", "");
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
  }

  // --- URLs and scopes ---

  private HttpUrl v2() {
    return base.newBuilder().addPathSegment("v2").addPathSegment("").build();
  }

  private HttpUrl url(String repo, String... segments) {
    HttpUrl.Builder b = base.newBuilder().addPathSegment("v2").addPathSegments(repository(repo));
    for (String s : segments) {
      b.addPathSegment(s);
    }
    return b.build();
  }

  private HttpUrl uploads(String repo) {
    return url(repo, "blobs", "uploads", "");
  }

  static String pull(String repo) {
    return "repository:" + repository(repo) + ":pull";
  }

  static String push(String repo) {
    return "repository:" + repository(repo) + ":pull,push";
  }

  static String delete(String repo) {
    return "repository:" + repository(repo) + ":delete";
  }

  private static String repository(String repo) {
    if (repo == null || !REPOSITORY.matcher(repo).matches()) {
      throw new IllegalArgumentException("not a repository name (lower-case path like ns/name): " + repo);
    }
    return repo;
  }

  private static String reference(String reference) {
    if (reference == null || !(Digests.isDigest(reference) || TAG.matcher(reference).matches())) {
      throw new IllegalArgumentException("not a tag or sha256/sha512 digest: " + reference);
    }
    return reference;
  }

  private static void requireDigest(String digest) {
    if (!Digests.isDigest(digest)) {
      throw new IllegalArgumentException("not a sha256/sha512 digest: " + digest);
    }
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "RegistryClient[" + authority + ", " + credentials + "]";
  }

  /** Settings of a {@link RegistryClient}; only {@link #registry(String)} is required. */
  public static final class Builder {
    private String authority;
    private AddressMap addresses = AddressMap.empty();
    private List<X509Certificate> roots;
    private boolean insecure;
    private Credentials credentials = Credentials.anonymous();
    private Duration connect = Duration.ofSeconds(10);
    private Duration read = Duration.ofSeconds(60);
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private ExchangeLog log = new ExchangeLog();
    private Clock clock = Clock.systemUTC();
    private HttpsProxy proxy;

    private Builder() {}

    /** The workstation's HTTPS proxy (HTTPS_PROXY/NO_PROXY), used where it applies; none by default. */
    public Builder proxy(Optional<HttpsProxy> proxy) {
      this.proxy = proxy.orElse(null);
      return this;
    }

    /** {@code host[:port]} of the registry, always spoken to over HTTPS (443 when no port). */
    public Builder registry(String authority) {
      if (authority == null || !AUTHORITY.matcher(authority).matches()) {
        throw new IllegalArgumentException("the registry must be host or host:port, got " + authority);
      }
      this.authority = authority.toLowerCase(Locale.ROOT);
      return this;
    }

    public Builder addresses(AddressMap addresses) {
      this.addresses = Objects.requireNonNull(addresses, "addresses");
      return this;
    }

    /** Verifies the server's chain against exactly these roots (default: the JDK trust store). */
    public Builder trust(List<X509Certificate> roots) {
      if (roots == null || roots.isEmpty()) {
        throw new IllegalArgumentException("trust needs at least one root certificate");
      }
      this.roots = List.copyOf(roots);
      return this;
    }

    /** Accepts any certificate for any name. For manual diagnosis only; no check uses it. */
    public Builder insecureSkipVerify() {
      this.insecure = true;
      return this;
    }

    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Connect timeout, and read (and write) timeout per socket operation. */
    public Builder timeouts(Duration connect, Duration read) {
      this.connect = Objects.requireNonNull(connect, "connect");
      this.read = Objects.requireNonNull(read, "read");
      return this;
    }

    /** Bytes per PATCH of {@link RegistryClient#pushBlobChunked} (default 8 MiB). */
    public Builder chunkSize(int chunkSize) {
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
      }
      this.chunkSize = chunkSize;
      return this;
    }

    /** Where exchanges are recorded (default: a log of this client's own). */
    public Builder exchanges(ExchangeLog log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /** The clock token lifetimes are measured with (tests). */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public RegistryClient build() {
      if (authority == null) {
        throw new IllegalStateException("registry(host:port) is required");
      }
      if (insecure && roots != null) {
        throw new IllegalStateException("trust(roots) and insecureSkipVerify() exclude each other");
      }
      return new RegistryClient(this);
    }
  }
}
