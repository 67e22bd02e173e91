package dev.regcheck.lab.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes the kubeconfig an {@code oc login} as the lab's user would leave (mode 0600). */
public final class Kubeconfig {
  private Kubeconfig() {}

  public static Path write(Path file, String apiUrl, String caPem, String user, String token)
      throws IOException {
    String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: lab
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: lab
          context:
            cluster: lab
            user: %s
            namespace: default
        current-context: lab
        preferences: {}
        """.formatted(apiUrl, ca, quote(user), token, quote(user));
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * The installer's {@code auth/kubeconfig}: user {@code admin} authenticating with a client
   * certificate ({@code system:admin}), no token, so {@code oc whoami -t} has nothing to print.
   */
  public static Path writeClientCertificate(Path file, String apiUrl, String caPem, String certPem, String keyPem)
      throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: cluster1
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: admin
          user:
            client-certificate-data: %s
            client-key-data: %s
        contexts:
        - name: admin
          context:
            cluster: cluster1
            user: admin
        current-context: admin
        preferences: {}
        """.formatted(apiUrl, b64.encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)),
        b64.encodeToString(certPem.getBytes(StandardCharsets.US_ASCII)),
        b64.encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII)));
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
