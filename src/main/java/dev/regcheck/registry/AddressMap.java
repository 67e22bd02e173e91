package dev.regcheck.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import okhttp3.Dns;
import java.net.SocketException;

/**
 * Where to really connect for a logical name: {@code host:port} (that port only) or {@code host}
 * (any port) to an {@code <ip>:<port>}; anything else goes to system DNS with the URL's port.
 *
 * <p>The URL keeps the logical name, so TLS SNI and hostname verification are done against it
 * (e.g. the service name {@code image-registry.openshift-image-registry.svc}) while the TCP
 * connection goes to, say, {@code 127.0.0.1:43123}. {@link #dns()} answers a mapped name with an
 * address that carries the logical name; the sockets of {@link #socketFactory()} read that name
 * back in {@code connect} and replace address and port with the mapped target.
 */
public final class AddressMap {
  private static final AddressMap EMPTY = new AddressMap(Map.of());
  private static final Pattern KEY = Pattern.compile("((?:\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\\d{1,5}))?");
  /** {@code <ip>:<port>}, or a bare {@code <ip>} (port 0 here) for "that address, the URL's port". */
  private static final Pattern TARGET =
      Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?");

  /** By {@code host:port} and by {@code host}, lower case. */
  private final Map<String, InetSocketAddress> targets;

  private AddressMap(Map<String, InetSocketAddress> targets) {
    this.targets = Map.copyOf(targets);
  }

  public static AddressMap empty() {
    return EMPTY;
  }

  /**
   * Parses {@code {"image-registry.openshift-image-registry.svc:5000": "127.0.0.1:43123"}}. Keys are
   * {@code host} or {@code host:port}; values must be an IP literal, with a port ({@code
   * [::1]:5000} for IPv6) or without one (the URL's port is kept), so that no DNS is involved.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static AddressMap of(Map<String, String> entries) {
    Map<String, InetSocketAddress> targets = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String key = e.getKey() == null ? "" : e.getKey().strip().toLowerCase(Locale.ROOT);
      String value = e.getValue() == null ? "" : e.getValue().strip();
      Matcher k = KEY.matcher(key);
      Matcher v = TARGET.matcher(value);
      if (!k.matches() || (k.group(3) != null && !validPort(k.group(3)))) {
        throw bad(e, "the key must be host, host:port or a wildcard such as *.apps.example.com");
      }
      if (!v.matches() || (v.group(2) != null && !validPort(v.group(2)))) {
        throw bad(e, "the target must be <ip> or <ip>:<port>, e.g. 127.0.0.1 or 127.0.0.1:5000");
      }
      String ip = v.group(1).startsWith("[") ? v.group(1).substring(1, v.group(1).length() - 1) : v.group(1);
      try {
        // an IP literal: getByName parses it without a lookup
        int port = v.group(2) == null ? 0 : Integer.parseInt(v.group(2));
        targets.put(key, new InetSocketAddress(InetAddress.getByName(ip), port));
      } catch (UnknownHostException ex) {
        throw bad(e, "the target's address is not a valid IP literal");
      }
    }
    return new AddressMap(targets);
  }

  private static boolean validPort(String port) {
    int p = Integer.parseInt(port);
    return p > 0 && p < 65536;
  }

  private static IllegalArgumentException bad(Map.Entry<String, String> e, String why) {
    return new IllegalArgumentException(
        "address map entry \"" + e.getKey() + "\" -> \"" + e.getValue() + "\" is invalid: " + why);
  }

  /**
   * The mapped target of {@code host:port}: the exact entry, else the host's entry (with the same
   * port when that entry gives an address only, as a hosts file does).
   */
  public Optional<InetSocketAddress> target(String host, int port) {
    InetSocketAddress found = null;
    for (String h : candidates(host)) {
      found = targets.get(h + ":" + port);
      if (found == null) {
        found = targets.get(h);
      }
      if (found != null) {
        break;
      }
    }
    if (found != null && found.getPort() == 0) {
      found = new InetSocketAddress(found.getAddress(), port);
    }
    return Optional.ofNullable(found);
  }

  /** The host itself, then its wildcard {@code *.<parent>} (one label, as in DNS and certificates). */
  private static List<String> candidates(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    int dot = h.indexOf('.');
    return dot > 0 && dot < h.length() - 1 ? List.of(h, "*" + h.substring(dot)) : List.of(h);
  }

  /** This map with {@code other}'s entries added; this map's own entries win. */
  public AddressMap plus(AddressMap other) {
    Map<String, InetSocketAddress> all = new LinkedHashMap<>(other.targets);
    all.putAll(targets);
    return new AddressMap(all);
  }

  public boolean isEmpty() {
    return targets.isEmpty();
  }

  /**
   * Where a connection to {@code host:port} really goes, for messages: {@code connecting to
   * 127.0.0.1:43123}, or {@code address from system DNS}.
   */
  public String describe(String host, int port) {
    return target(host, port).map(a -> "connecting to " + text(a)).orElse("address from system DNS");
  }

  private static String text(InetSocketAddress a) {
    String ip = a.getAddress().getHostAddress();
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
  }

  private boolean mapsHost(String host) {
    return keyOf(host).isPresent();
  }

  /** The first entry that maps the host: its own or its wildcard, with or without a port. */
  private Optional<String> keyOf(String host) {
    for (String h : candidates(host)) {
      if (targets.containsKey(h)) {
        return Optional.of(h);
      }
      for (String key : targets.keySet()) {
        if (key.startsWith(h + ":")) {
          return Optional.of(key);
        }
      }
    }
    return Optional.empty();
  }

  /** The host's own entry if any, else its first host:port entry (or its wildcard's). */
  private InetAddress anyAddressOf(String host) {
    return targets.get(keyOf(host).orElseThrow()).getAddress();
  }

  /**
   * Resolves mapped names to an address that carries the logical name (the socket needs it to pick
   * the per-port target); other names through system DNS.
   */
  public Dns dns() {
    return host -> {
      if (!mapsHost(host)) {
        return Dns.SYSTEM.lookup(host);
      }
      return List.of(InetAddress.getByAddress(host, anyAddressOf(host).getAddress()));
    };
  }

  /** Plain sockets whose {@code connect} goes to the mapped target of the logical host and port. */
  public SocketFactory socketFactory() {
    return new MappingSocketFactory();
  }

  private final class MappingSocketFactory extends SocketFactory {
    @Override
    public Socket createSocket() throws SocketException {
      Socket socket = new MappingSocket();
      // as Go's net package does: a request's header and body go out at once, not after an ACK
      socket.setTcpNoDelay(true);
      return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      Socket s = createSocket();
      s.bind(new InetSocketAddress(localHost, localPort));
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      Socket s = createSocket();
      s.connect(new InetSocketAddress(host, port));
      return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      Socket s = createSocket();
      s.bind(new InetSocketAddress(localAddress, localPort));
      s.connect(new InetSocketAddress(address, port));
      return s;
    }
  }

  private final class MappingSocket extends Socket {
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      super.connect(rewrite(endpoint), timeout);
    }

    private SocketAddress rewrite(SocketAddress endpoint) {
      if (!(endpoint instanceof InetSocketAddress isa)) {
        return endpoint;
      }
      // getHostString: the logical name the Dns put into the address, without a reverse lookup
      String host = isa.getHostString();
      if (!mapsHost(host)) {
        return endpoint;
      }
      // mapped on other ports only: this port goes to system DNS, as documented
      return target(host, isa.getPort()).orElseGet(() -> new InetSocketAddress(host, isa.getPort()));
    }
  }

  @Override
  public String toString() {
    StringJoiner joined = new StringJoiner(", ", "AddressMap{", "}");
    targets.forEach((k, v) -> joined.add(k + " -> " + text(v)));
    return joined.toString();
  }
}
