package dev.regcheck.lab.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
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
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The service-ca operator's signer: a self-signed CA {@code openshift-service-serving-signer@<unix>}
 * that mints serving certificates for {@code <svc>.<ns>.svc} and {@code <svc>.<ns>.svc.cluster.local}.
 * Lives in memory only (the real one keeps it in secret {@code signing-key}, not imitated).
 */
public final class ServiceCa {
  private static final Duration CA_VALIDITY = Duration.ofDays(790);
  private static final Duration SERVING_VALIDITY = Duration.ofDays(730);

  /** A serving certificate: {@code tls.crt} (leaf then CA) and {@code tls.key} (PKCS#1 PEM). */
  public record Serving(String certificateChainPem, String privateKeyPem, Instant notAfter,
      X509Certificate leaf, X509Certificate issuer, PrivateKey key) {

    @Override
    public String toString() {
      return "Serving[" + leaf.getSubjectX500Principal().getName() + ", until " + notAfter + "]";
    }

    /** A server-side TLS context presenting this certificate and its issuer. */
    SSLContext sslContext() throws GeneralSecurityException, IOException {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("serving", key, password, new Certificate[] {leaf, issuer});
      KeyManagerFactory keys = KeyManagerFactory.getInstance(
          KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, new SecureRandom());
      return context;
    }
  }

  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final String caPem;

  private ServiceCa(KeyPair caKeys, X509Certificate caCert) {
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.caPem = pem(caCert);
  }

  public static ServiceCa create() throws LabException {
    return create("openshift-service-serving-signer@" + Instant.now().getEpochSecond());
  }

  /** A self-signed CA with this common name (the service CA; the registry's token signer). */
  public static ServiceCa create(String commonName) throws LabException {
    return create(commonName, CA_VALIDITY);
  }

  /** A self-signed CA valid for {@code validity} (the ingress operator's router-ca: 2 years). */
  public static ServiceCa create(String commonName, Duration validity) throws LabException {
    try {
      KeyPair keys = rsa();
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + commonName);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), subject,
          keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new ServiceCa(keys, sign(builder, keys));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new LabException("cannot create the lab CA " + commonName + ": " + e.getMessage(), e);
    }
  }

  public String caPem() {
    return caPem;
  }

  public X509Certificate caCertificate() {
    return caCert;
  }

  /** The CA's own private key (the token signer signs JWTs with it). */
  public PrivateKey privateKey() {
    return caKeys.getPrivate();
  }

  /** A serving certificate for a Service, as service-ca's secret_creating_controller makes it. */
  public Serving servingFor(String service, String namespace) {
    return serving(service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  /** A serving certificate for these names (DNS names, or IP literals as IP SANs; the first is the CN). */
  public Serving serving(String... names) {
    return mint("CN=" + names[0], KeyPurposeId.id_kp_serverAuth, names);
  }

  /**
   * A client certificate as the installer's admin kubeconfig carries ({@code CN=system:admin,
   * O=system:masters}): clientAuth, no names.
   */
  public Serving client(String commonName, String organization) {
    return mint("CN=" + commonName + ",O=" + organization, KeyPurposeId.id_kp_clientAuth);
  }

  private Serving mint(String subject, KeyPurposeId purpose, String... names) {
    try {
      KeyPair keys = rsa();
      Instant now = Instant.now();
      Instant notAfter = now.plus(SERVING_VALIDITY);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          new X500Name(caCert.getSubjectX500Principal().getName()), serial(),
          Date.from(now.minusSeconds(60)), Date.from(notAfter), new X500Name(subject),
          keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(caCert));
      if (names.length > 0) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
            Arrays.stream(names).map(n -> new GeneralName(n.matches("[0-9.]+|.*:.*")
                ? GeneralName.iPAddress : GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
      }
      X509Certificate leaf = sign(builder, caKeys);
      return new Serving(pem(leaf) + caPem, pem(keys.getPrivate()), notAfter, leaf, caCert,
          keys.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot mint a certificate: " + e.getMessage(), e);
    }
  }

  /** How many keys a lab's start has made ahead: about what its CAs and serving certificates take. */
  static final int KEYS_AHEAD = 8;
  private static final BlockingQueue<KeyPair> AHEAD = new ArrayBlockingQueue<>(KEYS_AHEAD);
  private static final AtomicBoolean MAKING = new AtomicBoolean();

  /**
   * Starts making RSA keys on a thread of its own while the lab starts (its other work is mostly waiting on
   * sockets and processes), until {@link #KEYS_AHEAD} wait; each is taken by one certificate, never twice.
   */
  public static void makeKeysAhead() {
    if (!MAKING.compareAndSet(false, true)) {
      return;
    }
    Thread maker = new Thread(() -> {
      try {
        while (AHEAD.remainingCapacity() > 0 && AHEAD.offer(generate())) {
          // until the queue holds as many as a start takes
        }
      } catch (GeneralSecurityException e) {
        // the certificates make their own keys, and report a failure where it matters
      } finally {
        MAKING.set(false);
      }
    }, "lab-keys-ahead");
    maker.setDaemon(true);
    maker.start();
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPair ahead = AHEAD.poll();
    return ahead != null ? ahead : generate();
  }

  private static KeyPair generate() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(builder.build(new Sha256WithRsa(signer)));
  }

  /**
   * SHA256withRSA through the JDK's {@link Signature}. Used instead of BC's
   * JcaContentSignerBuilder, which needs a bcprov of the same release as bcpkix.
   */
  private static final class Sha256WithRsa implements ContentSigner {
    private final Signature signature;
    private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

    Sha256WithRsa(KeyPair signer) throws GeneralSecurityException {
      signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(signer.getPrivate());
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
    }

    @Override
    public OutputStream getOutputStream() {
      return tbs;
    }

    @Override
    public byte[] getSignature() {
      try {
        signature.update(tbs.toByteArray());
        return signature.sign();
      } catch (SignatureException e) {
        throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
      }
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
