package dev.regcheck.assertions;

import dev.regcheck.tls.Certificates;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A served certificate chain (leaf first): the names it covers, its validity and its trust, each
 * failure naming what was served. The evidence is the chain as a text dump.
 */
public final class CertificateChainAssert
    extends DomainAssert<CertificateChainAssert, List<X509Certificate>> {
  private final String servedBy;

  CertificateChainAssert(List<X509Certificate> chain, String servedBy) {
    super(chain, CertificateChainAssert.class);
    this.servedBy = servedBy;
    withEvidence("served-chain.txt", chain == null || chain.isEmpty() ? "(none)" : Certificates.dump(chain));
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
    check(missing.isEmpty(), "the certificate " + servedBy + " serves (" + Certificates.subject(leaf)
        + ") does not cover " + String.join(", ", missing) + "; its SAN DNS names are "
        + Certificates.dnsNames(leaf));
    return this;
  }

  public CertificateChainAssert isValidAt(Instant now) {
    X509Certificate leaf = leaf();
    Certificates.validityProblem(leaf, now).ifPresent(p ->
        check(false, "the certificate " + servedBy + " serves (" + Certificates.subject(leaf) + ") is " + p));
    return this;
  }

  /** The chain verifies to one of the anchors (named by {@code anchorName} in the message). */
  public CertificateChainAssert chainsTo(List<X509Certificate> anchors, String anchorName, Instant now) {
    leaf();
    Certificates.chainProblem(actual, anchors, now).ifPresent(p ->
        check(false, "the certificate " + servedBy + " serves does not verify against " + anchorName + ": " + p));
    return this;
  }
}
