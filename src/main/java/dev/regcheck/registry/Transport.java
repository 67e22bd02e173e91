package dev.regcheck.registry;

import dev.regcheck.tls.HttpsProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * One OkHttp client and the rules every exchange follows: it is logged, and a failure to get an
 * answer becomes a {@link RegistryException} {@code CONNECTION} that names the logical host and
 * the address really tried. Redirects are not followed here; callers decide where credentials go.
 */
final class Transport implements AutoCloseable {
  static final int COPY_BUFFER = 64 * 1024;

  private final OkHttpClient http;
  private final HttpUrl registry;
  private final AddressMap addresses;
  private final ExchangeLog log;

  Transport(HttpUrl registry, AddressMap addresses, Tls tls, Duration connect, Duration read, ExchangeLog log,
      HttpsProxy proxy) {
    this.registry = registry;
    this.addresses = addresses;
    this.log = log;
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .dns(addresses.dns())
        .socketFactory(addresses.socketFactory())
        .sslSocketFactory(tls.socketFactory(), tls.trustManager())
        .protocols(List.of(Protocol.HTTP_1_1))
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(connect)
        .readTimeout(read)
        .writeTimeout(read);
    if (tls.hostnameVerifier() != null) {
      b.hostnameVerifier(tls.hostnameVerifier());
    }
    if (proxy != null) {
      // as podman: HTTPS_PROXY where NO_PROXY does not exempt the host; the proxy resolves the name
      b.proxySelector(proxy.selector());
      proxy.authorization().ifPresent(a -> b.proxyAuthenticator((route, response) -> response.request().newBuilder()
          .header("Proxy-Authorization", a).build()));
    }
    this.http = b.build();
  }

  ExchangeLog log() {
    return log;
  }

  /** True when {@code url} is on the registry's own scheme, host and port. */
  boolean isRegistry(HttpUrl url) {
    return url.scheme().equals(registry.scheme()) && url.host().equals(registry.host()) && url.port() == registry.port();
  }

  /** How messages name a URL: the path on the registry, the URL without its query elsewhere. */
  String target(HttpUrl url) {
    return isRegistry(url) ? url.encodedPath()
        : url.newBuilder().query(null).build().toString();
  }

  /** Executes and logs one exchange; the caller closes the response. */
  Response send(Request request) throws IOException {
    Response response;
    try {
      response = http.newCall(request).execute();
    } catch (SourceException e) {
      throw e.local();
    } catch (IOException e) {
      RegistryException failure = connectionFailure(request, e);
      log.recordFailure(request, failure.getMessage());
      throw failure;
    }
    log.record(request, response);
    return response;
  }

  /** A failure while an answer's body was being read (a read timeout, a reset). */
  RegistryException connectionFailure(Request request, IOException e) {
    HttpUrl url = request.url();
    String text = url.host() + ":" + url.port() + " (" + addresses.describe(url.host(), url.port()) + "): " + describe(e);
    return RegistryException.connection(request.method(), target(url), text, e);
  }

  /** The cause of a connection failure in words, most specific first. */
  private static String describe(IOException e) {
    Throwable trust = find(e, Tls.TrustFailure.class);
    if (trust != null) {
      return trust.getMessage();
    }
    Throwable unverified = find(e, SSLPeerUnverifiedException.class);
    if (unverified != null) {
      return "the server's certificate does not match the host name: " + firstLine(unverified.getMessage());
    }
    Throwable unknown = find(e, UnknownHostException.class);
    if (unknown != null) {
      return "unknown host: " + firstLine(unknown.getMessage());
    }
    Throwable refused = innermost(e, ConnectException.class);
    if (refused != null) {
      return firstLine(refused.getMessage()).toLowerCase(Locale.ROOT);
    }
    Throwable timeout = find(e, SocketTimeoutException.class);
    if (timeout != null) {
      return "timed out (" + firstLine(timeout.getMessage()) + ")";
    }
    Throwable tls = find(e, SSLException.class);
    if (tls != null) {
      return "TLS handshake failed: " + firstLine(tls.getMessage());
    }
    return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
  }

  private static Throwable find(Throwable t, Class<? extends Throwable> type) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
      for (Throwable s : c.getSuppressed()) {
        if (type.isInstance(s)) {
          return s;
        }
      }
    }
    return null;
  }

  private static Throwable innermost(Throwable t, Class<? extends Throwable> type) {
    Throwable found = null;
    Set<Throwable> seen = new HashSet<>();
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (type.isInstance(c)) {
        found = c;
      }
    }
    return found;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /**
   * A body streamed from a caller's blob; {@link Blob#open()} runs again if OkHttp retries. Reading
   * the blob fails as a {@link SourceException}, so {@link #send} can tell it from a network failure.
   */
  static RequestBody stream(Blob blob) {
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get(MediaTypes.OCTET_STREAM);
      }

      @Override
      public long contentLength() {
        return blob.size();
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        try (InputStream in = SourceException.open(blob)) {
          for (int n; (n = SourceException.read(in, buffer)) != -1; ) {
            sink.write(buffer, 0, n);
          }
        }
      }
    };
  }

  /** A failure of the caller's source while a request body was being written. */
  static final class SourceException extends IOException {
    private static final long serialVersionUID = 1L;

    SourceException(IOException cause) {
      super(cause.getMessage(), cause);
    }

    IOException local() {
      return (IOException) getCause();
    }

    static InputStream open(Blob blob) throws SourceException {
      try {
        return blob.open();
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }

    static int read(InputStream in, byte[] buffer) throws SourceException {
      try {
        return in.read(buffer);
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }
  }

  @Override
  public void close() {
    http.connectionPool().evictAll();
    http.dispatcher().executorService().shutdown();
  }
}
