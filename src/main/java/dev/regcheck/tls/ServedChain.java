package dev.regcheck.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a TLS server presents for a name: a handshake with SNI = that name that captures the
 * served chain without trusting it, so that trust, names and validity are judged separately
 * ({@link Certificates}) and a failure says exactly what is wrong. Nothing is sent after the
 * handshake.
 */
public final class ServedChain {
  private ServedChain() {}

  /** Connects to {@code address}, hands {@code serverName} as SNI, returns the chain served. */
  public static List<X509Certificate> capture(InetSocketAddress address, String serverName,
      Duration timeout) throws IOException {
    return capture(address, serverName, address.getPort(), timeout, Optional.empty());
  }

  /**
   * As oc and podman reach {@code serverName:port}: through the proxy when it applies to that name
   * (a CONNECT the proxy resolves), else straight to {@code address} (the name's mapped address).
   */
  public static List<X509Certificate> capture(InetSocketAddress address, String serverName, int port,
      Duration timeout, Optional<HttpsProxy> proxy) throws IOException {
    if (proxy.isPresent() && proxy.get().appliesTo(serverName, port)) {
      try (Socket tunnel = proxy.get().connect(serverName, port, timeout)) {
        return handshake(tunnel, serverName, port, timeout);
      }
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    InetSocketAddress resolved = address.isUnresolved()
        ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    try (Socket plain = new Socket()) {
      plain.connect(resolved, millis);
      return handshake(plain, serverName, address.getPort(), timeout);
    }
  }

  private static List<X509Certificate> handshake(Socket plain, String serverName, int port, Duration timeout)
      throws IOException {
    Capturing capturing = new Capturing();
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {capturing}, new SecureRandom());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    plain.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, serverName, port, false)) {
      SSLParameters parameters = tls.getSSLParameters();
      if (!serverName.matches("[0-9.]+|.*:.*")) {
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
      }
      tls.setSSLParameters(parameters);
      tls.startHandshake();
    }
    if (capturing.chain == null) {
      throw new IOException("the server at " + serverName + ":" + port + " presented no certificate");
    }
    return List.of(capturing.chain);
  }

  /** Records the server's chain and accepts it: trust is evaluated afterwards, on its own. */
  private static final class Capturing implements X509TrustManager {
    private volatile X509Certificate[] chain;

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType) {
      throw new UnsupportedOperationException("a client-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType) {
      chain = c.clone();
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
