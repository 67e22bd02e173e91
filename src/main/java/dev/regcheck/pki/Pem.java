package dev.regcheck.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM files as openssl and {@code oc create secret tls} use them: certificate bundles, private
 * keys (PKCS#1 {@code RSA PRIVATE KEY} as OpenSSL 1.x {@code genrsa} writes, PKCS#8
 * {@code PRIVATE KEY} as OpenSSL 3 writes, SEC1 {@code EC PRIVATE KEY}) and certificate requests.
 * Bad input fails with a {@link PemException} of one line naming the file; key material never
 * appears in a message. A private key file is created owner-only (0600) from its first byte.
 */
public final class Pem {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  /** How a private key is written. */
  public enum KeyFormat {
    /** {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}: OpenSSL 1.x genrsa, what service-ca writes. */
    TRADITIONAL,
    /** {@code PRIVATE KEY}: OpenSSL 3's default. */
    PKCS8
  }

  private Pem() {}

  // ---- reading -------------------------------------------------------------------------------

  public static List<X509Certificate> readCertificates(Path file) {
    return parseCertificates(read(file), file.toString());
  }

  /** The first certificate of the file (a bundle's leaf). */
  public static X509Certificate readCertificate(Path file) {
    return parseCertificates(read(file), file.toString()).get(0);
  }

  public static PrivateKey readPrivateKey(Path file) {
    return parsePrivateKey(read(file), file.toString());
  }

  public static PKCS10CertificationRequest readCsr(Path file) {
    return parseCsr(read(file), file.toString());
  }

  /** Every CERTIFICATE block, in order; at least one. {@code source} names the input in errors. */
  public static List<X509Certificate> parseCertificates(String pem, String source) {
    List<PemObject> blocks = blocks(pem, source);
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (PemObject block : blocks) {
        if (block.getType().equals("CERTIFICATE")) {
          try {
            out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.getContent())));
          } catch (CertificateException e) {
            throw new PemException(source, "certificate " + (out.size() + 1) + " is not a valid X.509 certificate (bad DER)");
          }
        }
      }
    } catch (CertificateException e) {
      throw new IllegalStateException("no X.509 in this JDK", e);
    }
    if (out.isEmpty()) {
      throw new PemException(source, "not a PEM certificate (found " + types(blocks) + ")");
    }
    return List.copyOf(out);
  }

  /** The first private key block (PKCS#1, PKCS#8 or SEC1 EC; EC PARAMETERS blocks are skipped). */
  public static PrivateKey parsePrivateKey(String pem, String source) {
    List<PemObject> blocks = blocks(pem, source);
    for (PemObject block : blocks) {
      String type = block.getType();
      switch (type) {
        case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY" -> {
          if (encrypted(block)) {
            throw new PemException(source, "the " + type + " is encrypted (a passphrase-protected key); an unencrypted key is needed");
          }
          return privateKey(type, block.getContent(), source);
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new PemException(source, "the private key is encrypted (ENCRYPTED PRIVATE KEY); an unencrypted key is needed");
        default -> {
          // EC PARAMETERS before an EC key, or a certificate in a combined file
        }
      }
    }
    throw new PemException(source, "not a PEM private key (found " + types(blocks) + ")");
  }

  public static PKCS10CertificationRequest parseCsr(String pem, String source) {
    List<PemObject> blocks = blocks(pem, source);
    for (PemObject block : blocks) {
      if (block.getType().equals("CERTIFICATE REQUEST") || block.getType().equals("NEW CERTIFICATE REQUEST")) {
        try {
          return new PKCS10CertificationRequest(block.getContent());
        } catch (IOException | RuntimeException e) {
          throw new PemException(source, "the CERTIFICATE REQUEST is not a valid PKCS#10 request (bad DER)");
        }
      }
    }
    throw new PemException(source, "not a PEM certificate request (found " + types(blocks) + ")");
  }

  /** A traditional key with {@code Proc-Type: 4,ENCRYPTED} (the headers list is raw in BC). */
  private static boolean encrypted(PemObject block) {
    for (Object header : block.getHeaders()) {
      if (header instanceof PemHeader h && h.getName().equals("Proc-Type") && h.getValue().contains("ENCRYPTED")) {
        return true;
      }
    }
    return false;
  }

  private static PrivateKey privateKey(String type, byte[] der, String source) {
    try {
      PrivateKeyInfo info = switch (type) {
        case "RSA PRIVATE KEY" -> new PrivateKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), RSAPrivateKey.getInstance(der));
        case "EC PRIVATE KEY" -> {
          ECPrivateKey ec = ECPrivateKey.getInstance(der);
          if (ec.getParametersObject() == null) {
            throw new PemException(source, "the EC PRIVATE KEY does not name its curve");
          }
          yield new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec);
        }
        default -> PrivateKeyInfo.getInstance(der);
      };
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (PemException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // messages of the ASN.1 layer can quote content: say only what kind of thing failed
      throw new PemException(source, "the " + type + " is malformed (not a valid key structure)");
    }
  }

  private static List<PemObject> blocks(String pem, String source) {
    if (pem == null || pem.isBlank()) {
      throw new PemException(source, "empty (no PEM content)");
    }
    List<PemObject> blocks = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      for (PemObject o = reader.readPemObject(); o != null; o = reader.readPemObject()) {
        blocks.add(o);
      }
    } catch (IOException | RuntimeException e) {
      String type = firstBeginType(pem);
      throw new PemException(source, "malformed PEM" + (type == null ? "" : " in the " + type + " block")
          + " (bad base64 or a missing END line)");
    }
    if (blocks.isEmpty()) {
      throw new PemException(source, "not PEM (no -----BEGIN line)");
    }
    return blocks;
  }

  private static String firstBeginType(String pem) {
    int begin = pem.indexOf("-----BEGIN ");
    if (begin < 0) {
      return null;
    }
    int end = pem.indexOf("-----", begin + 11);
    String type = end < 0 ? null : pem.substring(begin + 11, end);
    return type != null && type.matches("[A-Z0-9 ]{1,40}") ? type : null;
  }

  private static String types(List<PemObject> blocks) {
    Set<String> types = new LinkedHashSet<>();
    blocks.forEach(b -> types.add(b.getType()));
    return String.join(", ", types);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new PemException(file.toString(), "no such file");
    } catch (IOException e) {
      throw new PemException(file.toString(), "cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }

  // ---- writing -------------------------------------------------------------------------------

  /** PEM text of a certificate, CSR or public object ({@code toPem(key)} for a key is on purpose not offered). */
  public static String toPem(X509Certificate... certificates) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certificates) {
      sb.append(encode(c));
    }
    return sb.toString();
  }

  public static String toPem(PKCS10CertificationRequest csr) {
    return encode(csr);
  }

  /** PEM text of a private key, for a Secret's {@code tls.key}: handle with care, never log it. */
  public static String privateKeyPem(PrivateKey key, KeyFormat format) {
    if (format == KeyFormat.PKCS8) {
      try {
        return encode(new JcaPKCS8Generator(key, null).generate());
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot encode a " + key.getAlgorithm() + " key as PKCS#8", e);
      }
    }
    if (key instanceof java.security.interfaces.ECPrivateKey ecKey) {
      return sec1(ecKey);
    }
    return encode(key);
  }

  /**
   * SEC1 {@code EC PRIVATE KEY} with the curve named inside, as openssl writes it. BC's PEM writer
   * copies the inner structure of the JDK's PKCS#8 encoding, which leaves the curve out (it sits in
   * the PKCS#8 algorithm identifier): openssl and Go cannot read that.
   */
  private static String sec1(java.security.interfaces.ECPrivateKey key) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
      ECPrivateKey full = new ECPrivateKey(key.getParams().getOrder().bitLength(), inner.getKey(),
          inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
      StringWriter out = new StringWriter();
      try (PemWriter writer = new PemWriter(out)) {
        writer.writeObject(new PemObject("EC PRIVATE KEY", full.getEncoded()));
      }
      return out.toString();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode an EC key as SEC1", e);
    }
  }

  public static void writeCertificates(Path file, List<X509Certificate> certificates) {
    writeAtomically(file, toPem(certificates.toArray(X509Certificate[]::new)), false);
  }

  public static void writeCsr(Path file, PKCS10CertificationRequest csr) {
    writeAtomically(file, toPem(csr), false);
  }

  /** Writes the key owner-only (0600 set when the file is created, then moved into place). */
  public static void writePrivateKey(Path file, PrivateKey key, KeyFormat format) {
    writeAtomically(file, privateKeyPem(key, format), true);
  }

  /**
   * Writes a temporary file in the target's directory and moves it over the target, so readers
   * see the old or the new content, never half. A secret one is created with mode 0600.
   */
  private static void writeAtomically(Path file, String content, boolean secret) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = null;
    try {
      FileAttribute<?>[] attributes = secret
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
          : new FileAttribute<?>[0];
      temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attributes);
      if (!secret) {
        // createTempFile makes 0600 files; an ordinary one gets the usual rw-r--r--
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (UnsupportedOperationException e) {
      throw new IllegalStateException(target + ": this file system has no POSIX permissions; refusing to write a key", e);
    } catch (FileAlreadyExistsException e) {
      throw new UncheckedIOException(target + ": cannot write (a temporary file collided)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(target + ": cannot write (" + e.getClass().getSimpleName() + ")", e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  private static String encode(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode a " + object.getClass().getSimpleName() + " as PEM", e);
    }
    return out.toString();
  }

}
