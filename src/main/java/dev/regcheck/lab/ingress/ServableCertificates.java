package dev.regcheck.lab.ingress;

import dev.regcheck.lab.process.Haproxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the router's haproxy will load a route's certificate and key: each new PEM is tried in a
 * one-line frontend with {@code haproxy -c} (results kept by content hash). A certificate haproxy
 * refuses (OpenSSL's security level: an RSA key under 2048 bits, a SHA-1 signature) would make
 * the whole configuration invalid and leave the previous process serving the previous certificate
 * while the route claimed to be admitted; instead the route is rejected, so that its status says
 * what the router serves.
 */
final class ServableCertificates {
  private final Path dir;
  private final Map<String, Optional<String>> verdicts = new ConcurrentHashMap<>();

  private final Haproxy haproxy;

  ServableCertificates(Haproxy haproxy, Path dir) {
    this.haproxy = haproxy;
    this.dir = dir;
  }

  /** Empty when haproxy loads the PEM (certificate, key, chain), else its complaint. */
  Optional<String> refusal(String pem) {
    return verdicts.computeIfAbsent(sha256(pem), h -> check(pem));
  }

  private Optional<String> check(String pem) {
    Path cert = dir.resolve("candidate.pem");
    Path cfg = dir.resolve("candidate.cfg");
    try {
      Files.createDirectories(dir);
      Files.writeString(cert, pem, StandardCharsets.US_ASCII);
      Files.writeString(cfg, "defaults\n  mode http\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\n"
          + "frontend candidate\n  bind 127.0.0.1:1 ssl crt " + cert + "\n", StandardCharsets.US_ASCII);
      return haproxy.check(cfg).map(ServableCertificates::reason);
    } catch (IOException e) {
      return Optional.empty(); // cannot tell: the configuration check still guards the running router
    } finally {
      try {
        Files.deleteIfExists(cert); // it holds the route's private key
        Files.deleteIfExists(cfg);
      } catch (IOException e) {
        // the lab's directory goes with the lab
      }
    }
  }

  /** haproxy's own alert about the certificate, without its process-id prefixes. */
  private static String reason(String output) {
    for (String part : output.split(" \\| ")) {
      int at = part.indexOf("unable to load");
      if (at >= 0) {
        return part.substring(at).replaceAll("'[^']*candidate\\.pem'", "the route's certificate").strip();
      }
    }
    return output;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
