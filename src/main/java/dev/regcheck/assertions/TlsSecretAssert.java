package dev.regcheck.assertions;

import dev.regcheck.tls.BuiltChain;
import dev.regcheck.pki.CertificateRules;
import dev.regcheck.tls.Certificates;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Assertions on the custom route's TLS secret and the certificate in it (S11.1–S11.3): a
 * {@code kubernetes.io/tls} secret whose key is the certificate's, a certificate made as the
 * document makes it, chaining to the lab root CA.
 */
public final class TlsSecretAssert extends DomainAssert<TlsSecretAssert, Secret> {
  public static final String TLS_TYPE = "kubernetes.io/tls";
  private final String name;
  private final String namespace;

  TlsSecretAssert(Secret secret, String name, String namespace) {
    super(secret, TlsSecretAssert.class);
    this.name = name;
    this.namespace = namespace;
  }

  /** The secret exists where the operator reads it (its own namespace) and is a TLS secret. */
  public TlsSecretAssert existsAsTlsSecret() {
    if (actual == null) {
      throw new CheckFailure("secret " + name + " does not exist in " + namespace
          + " (spec.routes names it, and the operator reads it from " + namespace + " only)");
    }
    if (!TLS_TYPE.equals(actual.getType())) {
      throw new CheckFailure("secret " + name + " has type " + actual.getType() + ", not " + TLS_TYPE
          + " (oc create secret tls makes one)");
    }
    return this;
  }

  /** {@code tls.key} is the private key of {@code tls.crt}'s first certificate (the router refuses the route otherwise). */
  public TlsSecretAssert keyMatches(List<X509Certificate> chain, PrivateKey key) {
    if (!Certificates.keyMatches(chain.get(0), key)) {
      throw new CheckFailure("secret " + name + ": tls.key is not the private key of tls.crt ("
          + Certificates.subject(chain.get(0)) + ", serial " + chain.get(0).getSerialNumber().toString(16)
          + "): the router refuses such a route", List.of(new CheckFailure.Evidence("tls.crt.txt",
              Certificates.dump(chain))));
    }
    return this;
  }

  /** No FAIL finding of the document's certificate rules (SAN, validity, usages, key, signature). */
  public TlsSecretAssert certificateFollowsTheDocument(X509Certificate leaf, List<CertificateRules.Finding> findings) {
    List<String> fails = findings.stream().filter(f -> f.severity() == CertificateRules.Severity.FAIL)
        .map(CertificateRules.Finding::message).toList();
    if (!fails.isEmpty()) {
      throw new CheckFailure("the certificate of secret " + name + ": " + String.join("; ", fails),
          List.of(new CheckFailure.Evidence("certificate.txt", Certificates.dump(leaf))));
    }
    return this;
  }

  /**
   * The lab root CA is fit to be one ({@code rootFile} names it), and the secret's certificate
   * chains to it through the intermediates {@code tls.crt} carries.
   */
  public TlsSecretAssert chainsToTheLabRoot(List<X509Certificate> chain, X509Certificate root, String rootFile) {
    List<String> rootProblems = CertificateRules.rootProblems(root).stream().map(CertificateRules.Finding::message)
        .toList();
    if (!rootProblems.isEmpty()) {
      throw new CheckFailure("the lab root CA " + rootFile + ": " + String.join("; ", rootProblems),
          List.of(new CheckFailure.Evidence("root-ca.txt", Certificates.dump(root))));
    }
    BuiltChain built = Certificates.buildChain(chain.get(0), chain.subList(1, chain.size()), List.of(root), Instant.now());
    if (!built.verified()) {
      throw new CheckFailure("the certificate of secret " + name + " does not chain to the lab root CA "
          + Certificates.subject(root) + ": " + built.problem().orElse("?"),
          List.of(new CheckFailure.Evidence("certificate.txt", Certificates.dump(chain)),
              new CheckFailure.Evidence("root-ca.txt", Certificates.dump(root))));
    }
    return this;
  }
}
