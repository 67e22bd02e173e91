package dev.regcheck.client;

import dev.regcheck.tls.Certificates;
import dev.regcheck.tls.ServedChain;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.util.ArrayList;

/**
 * Whether the API server's certificate verifies against the kubeconfig's CA (S12.1), judged on
 * its own: the served chain is captured without trusting it, then checked against the
 * kubeconfig's {@code certificate-authority(-data)}, or the system's CAs when it names none, as
 * {@code oc} does. A failure reads like {@code oc}'s: {@code x509: certificate signed by unknown
 * authority}, followed by what exactly did not match.
 *
 * @param server the kubeconfig's server URL
 * @param anchorSource where the CA came from, for messages
 * @param problem why {@code oc} would refuse the server, if it would
 */
public record ApiTrust(String server, List<X509Certificate> served, List<X509Certificate> anchors,
    String anchorSource, Optional<String> problem) {

  public static final String UNKNOWN_AUTHORITY = "x509: certificate signed by unknown authority";

  /** Connects to the server of {@code config} (nothing but a TLS handshake) and judges the chain. */
  public static ApiTrust probe(Config config, Duration timeout) {
    String server = config.getMasterUrl();
    URI uri = URI.create(server);
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      return new ApiTrust(server, List.of(), List.of(), "none (plain HTTP)", Optional.empty());
    }
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? 443 : uri.getPort();
    List<X509Certificate> anchors;
    String source;
    try {
      if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
        anchors = Certificates.parsePem(new String(Base64.getDecoder().decode(config.getCaCertData().strip()),
            StandardCharsets.US_ASCII));
        source = "the kubeconfig's certificate-authority-data";
      } else if (config.getCaCertFile() != null) {
        anchors = Certificates.parsePem(Files.readString(Path.of(config.getCaCertFile())));
        source = "the kubeconfig's certificate-authority " + config.getCaCertFile();
      } else {
        anchors = systemTrust();
        source = "the system's CAs (the kubeconfig names no certificate-authority)";
      }
    } catch (IOException | IllegalArgumentException e) {
      return new ApiTrust(server, List.of(), List.of(), "the kubeconfig's CA", Optional.of(
          "the kubeconfig's certificate authority cannot be read: " + e.getMessage()));
    }
    List<X509Certificate> served;
    try {
      // as oc reaches it: through HTTPS_PROXY unless NO_PROXY exempts the API's name
      served = ServedChain.capture(InetSocketAddress.createUnresolved(host, port), host, port, timeout,
          ClusterClients.proxyOf(config));
    } catch (IOException e) {
      return new ApiTrust(server, List.of(), anchors, source, Optional.of("no TLS handshake with " + server + ": "
          + e.getMessage()));
    }
    if (config.isTrustCerts()) {
      return new ApiTrust(server, served, anchors, "none: the kubeconfig sets insecure-skip-tls-verify", Optional.empty());
    }
    Optional<String> chain = Certificates.chainProblem(served, anchors, Instant.now());
    if (chain.isPresent()) {
      return new ApiTrust(server, served, anchors, source, Optional.of(UNKNOWN_AUTHORITY + ": the API server "
          + server + " serves " + Certificates.subject(served.get(0)) + " issued by "
          + served.get(0).getIssuerX500Principal().getName() + ", which " + chain.get().replaceFirst("^does not", "does not")
          + " (CA from " + source + ")"));
    }
    X509Certificate leaf = served.get(0);
    boolean named = host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")
        ? Certificates.ipAddresses(leaf).contains(host.replace("[", "").replace("]", ""))
        : Certificates.covers(leaf, host);
    if (!named) {
      List<String> names = new ArrayList<>(Certificates.dnsNames(leaf));
      names.addAll(Certificates.ipAddresses(leaf));
      return new ApiTrust(server, served, anchors, source, Optional.of("x509: certificate is valid for "
          + String.join(", ", names) + ", not " + host + " (the kubeconfig's server " + server + ")"));
    }
    Optional<String> validity = Certificates.validityProblem(served.get(0), Instant.now());
    if (validity.isPresent()) {
      return new ApiTrust(server, served, anchors, source, Optional.of("x509: certificate has expired or is not yet valid: "
          + validity.get()));
    }
    return new ApiTrust(server, served, anchors, source, Optional.empty());
  }

  /** The JDK's default trusted CAs (what a Java program on this machine trusts). */
  public static List<X509Certificate> systemTrust() {
    try {
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init((KeyStore) null);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return List.of(x.getAcceptedIssuers());
        }
      }
    } catch (GeneralSecurityException e) {
      return List.of();
    }
    return List.of();
  }
}
