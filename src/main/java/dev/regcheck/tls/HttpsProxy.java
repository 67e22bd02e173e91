package dev.regcheck.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy a workstation's HTTPS goes through, read from {@code HTTPS_PROXY} and {@code NO_PROXY}
 * (either case) with the rules of Go's {@code httpproxy} package, which oc and podman use: no
 * proxy for {@code localhost} and loopback addresses; {@code NO_PROXY} entries are {@code *}, IP
 * addresses, CIDR ranges, {@code host} (itself and its subdomains), {@code .domain} (subdomains
 * only), each optionally with {@code :port}. A proxy URL without a scheme is {@code http://}.
 * Connections through it are HTTP CONNECT tunnels, with Basic credentials when the URL has them.
 */
public final class HttpsProxy {
  private final URI uri;
  private final List<String> noProxy;

  private HttpsProxy(URI uri, List<String> noProxy) {
    this.uri = uri;
    this.noProxy = noProxy;
  }

  /** The proxy these variables name; empty when {@code HTTPS_PROXY} is unset or empty. */
  public static Optional<HttpsProxy> fromEnvironment(Map<String, String> env) {
    String value = first(env, "HTTPS_PROXY", "https_proxy");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.strip();
    URI uri;
    try {
      uri = URI.create(v.contains("://") ? v : "http://" + v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("HTTPS_PROXY is not a URL: " + redactedUserInfo(v));
    }
    if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw new IllegalArgumentException("HTTPS_PROXY must be http://host:port (got " + redactedUserInfo(v) + ")");
    }
    String no = first(env, "NO_PROXY", "no_proxy");
    List<String> entries = no == null ? List.of() : Arrays.stream(no.split(","))
        .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
    return Optional.of(new HttpsProxy(uri, entries));
  }

  private static String first(Map<String, String> env, String upper, String lower) {
    String v = env.get(upper);
    return v != null && !v.isEmpty() ? v : env.get(lower);
  }

  private static String redactedUserInfo(String url) {
    return url.replaceAll("//[^/@]*@", "//<credentials>@");
  }

  /** {@code http://host:port}, never with its credentials (for messages). */
  public String describe() {
    return uri.getScheme() + "://" + uri.getHost() + ":" + port();
  }

  private int port() {
    return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** The proxy's address (resolved when connecting). */
  public InetSocketAddress address() {
    return InetSocketAddress.createUnresolved(uri.getHost(), port());
  }

  /** {@code user:password} of the URL, if any. */
  public Optional<String> credentials() {
    return Optional.ofNullable(uri.getRawUserInfo()).map(u -> java.net.URLDecoder.decode(u, StandardCharsets.UTF_8));
  }

  /** The {@code Proxy-Authorization} value for the URL's credentials ({@code Basic …}), if it has any. */
  public Optional<String> authorization() {
    return credentials().map(c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether an HTTPS connection to {@code host:port} goes through the proxy. */
  public boolean appliesTo(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return false;
    }
    Optional<InetAddress> ip = literal(h);
    if (ip.isPresent() && ip.get().isLoopbackAddress()) {
      return false;
    }
    for (String entry : noProxy) {
      if (entry.equals("*")) {
        return false;
      }
      if (entry.contains("/")) {
        if (ip.isPresent() && inCidr(ip.get(), entry)) {
          return false;
        }
        continue;
      }
      String name = entry;
      String entryPort = null;
      int colon = entry.lastIndexOf(':');
      if (colon > 0 && !entry.endsWith("]") && entry.indexOf(':') == colon) {
        name = entry.substring(0, colon);
        entryPort = entry.substring(colon + 1);
      }
      if (entryPort != null && !entryPort.equals(String.valueOf(port))) {
        continue;
      }
      Optional<InetAddress> entryIp = literal(name);
      if (entryIp.isPresent()) {
        if (ip.isPresent() && ip.get().equals(entryIp.get())) {
          return false;
        }
        continue;
      }
      if (name.startsWith("*.")) {
        name = name.substring(1);
      }
      boolean subdomainsOnly = name.startsWith(".");
      String suffix = subdomainsOnly ? name : "." + name;
      if (h.endsWith(suffix) || (!subdomainsOnly && h.equals(name))) {
        return false;
      }
    }
    return true;
  }

  /** For OkHttp: this proxy where it applies, else a direct connection. */
  public ProxySelector selector() {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI target) {
        int p = target.getPort() > 0 ? target.getPort() : "http".equalsIgnoreCase(target.getScheme()) ? 80 : 443;
        return appliesTo(target.getHost(), p) ? List.of(new Proxy(Proxy.Type.HTTP, address())) : List.of(Proxy.NO_PROXY);
      }

      @Override
      public void connectFailed(URI target, SocketAddress address, IOException e) {
        // OkHttp reports the failure itself
      }
    };
  }

  /**
   * A tunnel to {@code host:port} through the proxy (HTTP CONNECT), ready for TLS; the proxy
   * resolves the name, as it does for oc and podman.
   *
   * @throws IOException naming the proxy and its answer when it refuses
   */
  public Socket connect(String host, int port, Duration timeout) throws IOException {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(uri.getHost(), port()), millis);
      socket.setSoTimeout(millis);
      String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
      StringBuilder request = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
          .append(authority).append("\r\n");
      authorization().ifPresent(a -> request.append("Proxy-Authorization: ").append(a).append("\r\n"));
      request.append("\r\n");
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      String status = readHead(socket.getInputStream());
      String[] parts = status.split(" ", 3);
      if (parts.length < 2 || !parts[1].equals("200")) {
        throw new IOException("the proxy " + describe() + " refused CONNECT " + authority + ": " + status.strip());
      }
      return socket;
    } catch (IOException e) {
      socket.close();
      if (e.getMessage() != null && e.getMessage().startsWith("the proxy ")) {
        throw e;
      }
      throw new IOException("through the proxy " + describe() + ": " + e.getMessage(), e);
    }
  }

  /** The status line of the proxy's answer; its headers are read and dropped. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the proxy closed the connection before answering CONNECT");
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 16 * 1024) {
        throw new IOException("the proxy's answer to CONNECT has no end");
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.indexOf("\r\n"));
  }

  private static Optional<InetAddress> literal(String host) {
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(host)); // a literal: no lookup
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static boolean inCidr(InetAddress ip, String cidr) {
    String[] parts = cidr.split("/", 2);
    Optional<InetAddress> net = literal(parts[0]);
    int bits;
    try {
      bits = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return false;
    }
    if (net.isEmpty() || net.get().getAddress().length != ip.getAddress().length) {
      return false;
    }
    int total = ip.getAddress().length * 8;
    if (bits < 0 || bits > total) {
      return false;
    }
    BigInteger mask = bits == 0 ? BigInteger.ZERO
        : BigInteger.ONE.shiftLeft(total).subtract(BigInteger.ONE).shiftRight(total - bits).shiftLeft(total - bits);
    return new BigInteger(1, ip.getAddress()).and(mask).equals(new BigInteger(1, net.get().getAddress()).and(mask));
  }
}
