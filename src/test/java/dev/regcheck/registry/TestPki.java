package dev.regcheck.registry;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA (EC P-256, fast to generate) and the serving certificates it signs. */
final class TestPki {
  static final String SERVICE = "image-registry.openshift-image-registry.svc";
  static final String SERVICE_LOCAL = SERVICE + ".cluster.local";

  /** A serving certificate (leaf, signed by the CA) and its key. */
  record Serving(X509Certificate leaf, X509Certificate ca, KeyPair keys) {

    /** tls.crt (leaf then CA) and tls.key (PKCS#8: Go cannot read BC's bare SEC1 EC key), PEM. */
    void writePem(Path certificate, Path key) throws IOException {
      Files.writeString(certificate, pem(leaf) + pem(ca));
      Files.writeString(key, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
    }

    /** A server-side socket factory presenting this certificate (for mockwebserver3). */
    SSLSocketFactory serverSocketFactory() throws GeneralSecurityException, IOException {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "unused".toCharArray();
      store.setKeyEntry("server", keys.getPrivate(), password, new Certificate[] {leaf, ca});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context.getSocketFactory();
    }
  }

  private final KeyPair caKeys;
  private final X509Certificate ca;

  private TestPki(KeyPair caKeys, X509Certificate ca) {
    this.caKeys = caKeys;
    this.ca = ca;
  }

  static TestPki create(String name) throws Exception {
    KeyPair keys = ec();
    X500Name subject = new X500Name("CN=" + name);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(),
        subject, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    return new TestPki(keys, sign(builder, keys));
  }

  X509Certificate ca() {
    return ca;
  }

  /** A serving certificate for these DNS names. */
  Serving issue(List<String> dnsNames) throws Exception {
    KeyPair keys = ec();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), notBefore(), notAfter(),
        new X500Name("CN=" + dnsNames.get(0)), keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
        .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    return new Serving(sign(builder, caKeys), ca, keys);
  }

  private static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
  }

  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofMinutes(5)));
  }

  private static Date notAfter() {
    return Date.from(Instant.now().plus(Duration.ofDays(1)));
  }

  static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
