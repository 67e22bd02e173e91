package dev.regcheck.assertions;

import dev.regcheck.tls.Certificates;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A served certificate chain (leaf first), or one certificate on its own (a file such as
 * {@code registry.crt}): the names it covers, its validity and its trust, each failure naming what
 * was looked at. The evidence is the chain as a text dump.
 */
public final class CertificateChainAssert
    extends DomainAssert<CertificateChainAssert, List<X509Certificate>> {
  private final String servedBy;
  /** How messages name the leaf: "the certificate <server> serves", or the certificate's own name. */
  private final String who;

  CertificateChainAssert(List<X509Certificate> chain, String servedBy) {
    this(chain, servedBy, "the certificate " + servedBy + " serves", "served-chain.txt");
  }

  private CertificateChainAssert(List<X509Certificate> chain, String servedBy, String who, String evidenceName) {
    super(chain, CertificateChainAssert.class);
    this.servedBy = servedBy;
    this.who = who;
    withEvidence(evidenceName, chain == null || chain.isEmpty() ? "(none)" : Certificates.dump(chain));
  }

  /** One certificate, named in messages by {@code name} (e.g. "registry.crt"). */
  static CertificateChainAssert single(X509Certificate certificate, String name) {
    return new CertificateChainAssert(certificate == null ? List.of() : List.of(certificate), name, name,
        "certificate.txt");
  }

  @Override
  protected boolean attachActualAsYaml() {
    return false;
  }

  private X509Certificate leaf() {
    if (actual == null || actual.isEmpty()) {
      throw failure(servedBy + " presented no certificate");
    }
    return actual.get(0);
  }

  /** Every host is covered by a SAN DNS name of the leaf; all missing ones are named. */
  public CertificateChainAssert coversHosts(String... hosts) {
    X509Certificate leaf = leaf();
    List<String> missing = new ArrayList<>();
    for (String h : hosts) {
      if (!Certificates.covers(leaf, h)) {
        missing.add(h);
      }
    }
    check(missing.isEmpty(), who + " (" + Certificates.subject(leaf)
        + ") does not cover " + String.join(", ", missing) + "; its SAN DNS names are "
        + Certificates.dnsNames(leaf));
    return this;
  }

  public CertificateChainAssert isValidAt(Instant now) {
    X509Certificate leaf = leaf();
    Certificates.validityProblem(leaf, now).ifPresent(p ->
        check(false, who + " (" + Certificates.subject(leaf) + ") is " + p));
    return this;
  }

  /** The chain verifies to one of the anchors (named by {@code anchorName} in the message). */
  public CertificateChainAssert chainsTo(List<X509Certificate> anchors, String anchorName, Instant now) {
    leaf();
    Certificates.chainProblem(actual, anchors, now).ifPresent(p ->
        check(false, who + " does not verify against " + anchorName + ": " + p));
    return this;
  }

  public CertificateChainAssert coversHost(String host) {
    return coversHosts(host);
  }

  /**
   * A path leads from the leaf, through the rest of the chain, to {@code root}; otherwise the one
   * reason there is none (the unknown issuer, the expired certificate, the bad signature).
   */
  public CertificateChainAssert chainsTo(X509Certificate root, Instant now) {
    X509Certificate leaf = leaf();
    Certificates.buildChain(leaf, actual.subList(1, actual.size()), List.of(root), now).problem().ifPresent(p ->
        check(false, who + " (" + Certificates.subject(leaf) + ") does not chain to " + Certificates.subject(root)
            + ": " + p));
    return this;
  }

  /** {@link #chainsTo(X509Certificate, Instant)} now. */
  public CertificateChainAssert chainsTo(X509Certificate root) {
    return chainsTo(root, Instant.now());
  }
}
