package dev.regcheck.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.security.cert.X509Certificate;

/** Key generation, serials and content signers shared by {@link RootCa} and {@link CustomCertificate}. */
final class Signing {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Signing() {}

  /** Keys being made ahead of the step that will use them, by "algorithm-bits"; each is taken once. */
  private static final Map<String, CompletableFuture<KeyPair>> AHEAD = new ConcurrentHashMap<>();

  /**
   * Starts making a key of this kind on a thread of its own (a daemon), unless one is being made already;
   * the next {@link #generate} of that kind takes it. A 4096-bit RSA key is a second of CPU, spent
   * meanwhile rather than when the certificate is due.
   */
  static void makeAhead(String algorithm, int bits) {
    AHEAD.computeIfAbsent(algorithm + "-" + bits, kind -> {
      CompletableFuture<KeyPair> key = new CompletableFuture<>();
      Thread maker = new Thread(() -> {
        try {
          key.complete(make(algorithm, bits));
        } catch (RuntimeException e) {
          key.completeExceptionally(e);
        }
      }, "regcheck-key-ahead");
      maker.setDaemon(true);
      maker.start();
      return key;
    });
  }

  /** Whether a key of this kind is being made, or was made, ahead and not yet taken. */
  static boolean aheadPending(String algorithm, int bits) {
    return AHEAD.containsKey(algorithm + "-" + bits);
  }

  static KeyPair generate(String algorithm, int bits) {
    CompletableFuture<KeyPair> ahead = AHEAD.remove(algorithm + "-" + bits);
    if (ahead != null) {
      try {
        return ahead.join();
      } catch (CompletionException e) {
        // made here instead, where a failure is reported as it would have been
      }
    }
    return make(algorithm, bits);
  }

  private static KeyPair make(String algorithm, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        generator.initialize(new ECGenParameterSpec(switch (bits) {
          case 256 -> "secp256r1";
          case 384 -> "secp384r1";
          case 521 -> "secp521r1";
          default -> throw new IllegalArgumentException("EC keys of " + bits + " bits: use 256, 384 or 521");
        }), RANDOM);
      } else {
        generator.initialize(bits, RANDOM);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot generate a " + algorithm + "-" + bits + " key: " + e.getMessage(), e);
    }
  }

  /** A positive random serial of 127 bits (openssl -CAcreateserial uses 159). */
  static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }

  /** The requested algorithm, its hash kept, fitted to the key: SHA512withRSA with an EC key is SHA512withECDSA. */
  static String fit(String algorithm, PrivateKey key) {
    int with = algorithm.indexOf("with");
    if (with < 0) {
      return algorithm;
    }
    String hash = algorithm.substring(0, with);
    return switch (key.getAlgorithm()) {
      case "EC" -> hash + "withECDSA";
      case "RSA" -> hash + "withRSA";
      default -> algorithm;
    };
  }

  static ContentSigner signer(String algorithm, PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(fit(algorithm, key)).build(key);
    } catch (OperatorCreationException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot sign with " + fit(algorithm, key) + ": " + e.getMessage(), e);
    }
  }

  static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no SHA-1 for key identifiers", e);
    }
  }

  /** The issuer's subjectKeyIdentifier as the authorityKeyIdentifier (computed from its key when it has none). */
  static AuthorityKeyIdentifier authorityKeyId(X509Certificate issuer) {
    byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ski != null) {
      byte[] keyId = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getOctets();
      return new AuthorityKeyIdentifier(keyId);
    }
    return authorityKeyId(issuer.getPublicKey());
  }

  static AuthorityKeyIdentifier authorityKeyId(PublicKey key) {
    return new AuthorityKeyIdentifier(extensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier());
  }
}
