package dev.regcheck.registry;

import dev.regcheck.tls.Certificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client's TLS: the server chain is verified against exactly the given roots (or the JDK's
 * trust store) and the certificate must name the logical host. Both checks happen in the
 * handshake, in {@link Verifying}, so that a failure can say which of them failed in plain words.
 *
 * @param hostnameVerifier null for OkHttp's standard one (it runs after the handshake as well)
 */
public record Tls(SSLSocketFactory socketFactory, X509TrustManager trustManager, HostnameVerifier hostnameVerifier) {

  /** Trusts only {@code roots}. */
  public static Tls trusting(List<X509Certificate> roots) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < roots.size(); i++) {
        store.setCertificateEntry("root-" + i, roots.get(i));
      }
      return verifying(store, "the given CA");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot use the given CA certificates: " + e.getMessage(), e);
    }
  }

  /** Trusts the JDK's default trust store. */
  static Tls system() {
    try {
      return verifying(null, "a CA of the JDK trust store");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK trust store is unusable: " + e.getMessage(), e);
    }
  }

  /** Trusts any certificate for any name. Exists for manual diagnosis; no check uses it. */
  static Tls insecure() {
    X509ExtendedTrustManager trustAll = new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, null);
      return new Tls(context.getSocketFactory(), trustAll, (host, session) -> true);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JDK: " + e.getMessage(), e);
    }
  }

  private static Tls verifying(KeyStore roots, String trustName) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(roots);
    X509ExtendedTrustManager pkix = null;
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        pkix = x;
      }
    }
    if (pkix == null) {
      throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }
    Verifying verifying = new Verifying(pkix, trustName);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {verifying}, null);
    return new Tls(new HostnameCheckingFactory(context.getSocketFactory()), verifying, null);
  }

  private interface CertificateCheck {
    void run() throws CertificateException;
  }

  /**
   * A certificate the handshake rejected, with a message for people: "the server's certificate
   * does not chain to the given CA (…)" or "no subject alternative name matches <host> (…)".
   */
  static final class TrustFailure extends CertificateException {
    private static final long serialVersionUID = 1L;

    TrustFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Checks the chain alone first, then chain plus host name (the socket's endpoint identification,
   * set by {@link HostnameCheckingFactory}), so each failure is named for what it is.
   */
  private static final class Verifying extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final String trustName;

    Verifying(X509ExtendedTrustManager pkix, String trustName) {
      this.pkix = pkix;
      this.trustName = trustName;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkChain(chain, authType);
      String host = socket instanceof SSLSocket s && s.getHandshakeSession() != null
          ? s.getHandshakeSession().getPeerHost() : null;
      checkName(chain, host, () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      checkChain(chain, authType);
      String host = engine != null && engine.getHandshakeSession() != null ? engine.getHandshakeSession().getPeerHost() : null;
      checkName(chain, host, () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    /** The full check (chain known good): what fails now is the name, or the connection's algorithm constraints. */
    private static void checkName(X509Certificate[] chain, String host, CertificateCheck check) throws CertificateException {
      try {
        check.run();
      } catch (CertificateException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
          throw new TrustFailure("no subject alternative name matches " + (host == null ? "the requested host" : host)
              + " (the certificate names " + names(chain[0]) + ")", e);
        }
        throw new TrustFailure("the server's certificate was rejected: " + message, e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      checkChain(chain, authType);
    }

    private void checkChain(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        pkix.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        X509Certificate leaf = chain[0];
        String which = "(it is " + leaf.getSubjectX500Principal().getName() + ", issued by "
            + leaf.getIssuerX500Principal().getName() + ")";
        if (has(e, CertificateExpiredException.class)) {
          throw new TrustFailure("the server's certificate chain has expired " + which, e);
        }
        if (has(e, CertificateNotYetValidException.class)) {
          throw new TrustFailure("the server's certificate chain is not yet valid " + which, e);
        }
        if (has(e, CertPathBuilderException.class) || String.valueOf(e.getMessage()).contains("PKIX path building failed")) {
          throw new TrustFailure("the server's certificate does not chain to " + trustName + " " + which, e);
        }
        throw new TrustFailure("the server's certificate was rejected: " + e.getMessage() + " " + which, e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      pkix.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      pkix.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      pkix.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** The DNS and IP subject alternative names, for the mismatch message. */
  private static List<String> names(X509Certificate cert) {
    List<String> names = new ArrayList<>(Certificates.dnsNames(cert));
    names.addAll(Certificates.ipAddresses(cert));
    return names;
  }

  /** Turns on the JDK's HTTPS endpoint identification for every socket, so the name is checked in the handshake. */
  private static final class HostnameCheckingFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;

    HostnameCheckingFactory(SSLSocketFactory delegate) {
      this.delegate = delegate;
    }

    private static Socket identify(Socket socket) {
      if (socket instanceof SSLSocket ssl) {
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
      }
      return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      return identify(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return identify(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return identify(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return identify(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return identify(delegate.createSocket(address, port, localAddress, localPort));
    }
  }
}
