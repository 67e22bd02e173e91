package dev.regcheck.lab;

import dev.regcheck.lab.core.LabException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.ConfigMap;
import dev.regcheck.pki.Pem;
import dev.regcheck.pki.RootCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the person of the document has on their workstation besides the kubeconfig, as files of
 * the lab's directory: the lab root CA they made before S11 ({@code pki/root-ca.crt}, key 0600),
 * the directory S11's apply writes the route certificate to ({@code pki/registry}), their trust
 * anchors with the root CA already trusted ({@code trust/}, the lab's
 * {@code /etc/pki/ca-trust/source/anchors}) and the user's password ({@code password}, 0600, as the
 * installer's {@code auth/kubeadmin-password}). {@link #profileOverrides} points a profile at them.
 */
public final class LabFiles {
  public static final String ROOT_CA = "pki/root-ca.crt";
  public static final String ROOT_KEY = "pki/root-ca.key";
  public static final String CERT_DIR = "pki/registry";
  public static final String TRUST_DIR = "trust";
  public static final String PASSWORD = "password";
  /** foreign-in-cluster-env: the variables of a pod of another cluster, in which the workstation runs. */
  public static final String ENVIRONMENT = "environment";
  /** Settings of the person's profile a fault needs (port-forward-crashloop-first: registry.access). */
  public static final String PROFILE_SETTINGS = "profile-settings";

  private LabFiles() {}

  /**
   * Writes the root CA, the trust directory (holding the root unless {@code trustRoot} is false:
   * the person never trusted it) and the password file; the trust bundle's update goes on in the
   * background (await the answer before anything reads the bundle).
   */
  static WorkstationTrust.Pending write(Path dir, RootCa root, String password, boolean trustRoot, boolean rootExtracted,
      Map<String, String> environment, Map<String, String> profileSettings) throws IOException {
    writeSettings(dir.resolve(ENVIRONMENT), environment);
    writeSettings(dir.resolve(PROFILE_SETTINGS), profileSettings);
    Files.createDirectories(dir.resolve(CERT_DIR));
    Files.createDirectories(dir.resolve(TRUST_DIR));
    Pem.writeCertificates(dir.resolve(ROOT_CA), List.of(root.certificate()));
    Pem.writePrivateKey(dir.resolve(ROOT_KEY), root.privateKey(), Pem.KeyFormat.PKCS8);
    if (trustRoot && rootExtracted) {
      trustRoot(dir);
    }
    Path pw = dir.resolve(PASSWORD);
    Files.deleteIfExists(pw);
    Files.createFile(pw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(pw, password + "\n", StandardCharsets.UTF_8);
    return WorkstationTrust.updateInBackground(dir, () -> {
      if (trustRoot && !rootExtracted) {
        trustRoot(dir); // ca-anchor-not-extracted: dropped into the anchors after the last update
      }
    });
  }

  /** The person's root CA put into the anchors (trust/lab-root-ca.crt); extracted into the bundle only by an update. */
  static void trustRoot(Path dir) throws IOException {
    Files.copy(dir.resolve(ROOT_CA), dir.resolve(TRUST_DIR).resolve("lab-root-ca.crt"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** The lab root CA: RSA 2048 (the document's root is the person's own; 2048 keeps lab starts quick), ten years. */
  static RootCa newRootCa() {
    return RootCa.generate("regcheck lab root CA", 2048, Duration.ofDays(3650));
  }

  /**
   * {@code --set} keys that point a profile at a lab's files, for those that exist under
   * {@code labDir}: the root CA and its key, the certificate directory, the trust anchors and the
   * password (named by file, never given by value).
   */
  /**
   * S10's trust step as a person did it the day before: the ingress CA (configmap
   * {@code openshift-config-managed/default-ingress-cert}, once the ingress operator has published
   * it) written to {@code trust/ingress-ca.crt}.
   */
  static void trustIngressCa(KubernetesClient client, Path trustDir, boolean rootExtracted) throws LabException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      ConfigMap cm = client.configMaps().inNamespace("openshift-config-managed").withName("default-ingress-cert").get();
      String pem = cm == null || cm.getData() == null ? null : cm.getData().get("ca-bundle.crt");
      if (pem != null && !pem.isBlank()) {
        try {
          Files.createDirectories(trustDir);
          Files.writeString(trustDir.resolve("ingress-ca.crt"), pem, StandardCharsets.US_ASCII);
          Path root = trustDir.resolve("lab-root-ca.crt");
          boolean rootLater = !rootExtracted && Files.isRegularFile(root);
          if (rootLater) {
            Files.delete(root); // ca-anchor-not-extracted: the root came after this update
          }
          WorkstationTrust.update(trustDir.getParent()); // and update-ca-trust, as the document says
          if (rootLater) {
            trustRoot(trustDir.getParent());
          }
          return;
        } catch (IOException e) {
          throw new LabException("cannot write the ingress CA to " + trustDir + ": " + e.getMessage(), e);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while waiting for the ingress CA", e);
      }
    }
    throw new LabException("the embedded lab could not start: the ingress operator published no default-ingress-cert "
        + "within 20 s", null);
  }

  /**
   * The environment a run against the lab in {@code labDir} sees: this process's, with the
   * variables the lab's faults set (foreign-in-cluster-env: {@code KUBERNETES_SERVICE_HOST} of
   * another cluster, as in a CI runner's pod).
   */
  public static Map<String, String> runEnvironment(Path labDir) throws IOException {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    env.putAll(readSettings(labDir.toAbsolutePath().resolve(ENVIRONMENT)));
    return env;
  }

  /** Adds variables to the workstation's environment file (proxy-required: HTTPS_PROXY, NO_PROXY). */
  static void addEnvironment(Path dir, Map<String, String> variables) throws IOException {
    Map<String, String> all = readSettings(dir.resolve(ENVIRONMENT));
    all.putAll(variables);
    writeSettings(dir.resolve(ENVIRONMENT), all);
  }

  private static void writeSettings(Path file, Map<String, String> settings) throws IOException {
    if (!settings.isEmpty()) {
      StringBuilder lines = new StringBuilder();
      settings.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
      Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
    }
  }

  /** {@code name=value} lines; none when the file is absent. */
  private static Map<String, String> readSettings(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          out.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return out;
  }

  public static Map<String, String> profileOverrides(Path labDir) {
    Map<String, String> out = new LinkedHashMap<>();
    Path d = labDir.toAbsolutePath();
    if (Files.isRegularFile(d.resolve(ROOT_CA)) && Files.isRegularFile(d.resolve(ROOT_KEY))) {
      out.put("exposure.certificate.rootCa", d.resolve(ROOT_CA).toString());
      out.put("exposure.certificate.rootKey.file", d.resolve(ROOT_KEY).toString());
    }
    if (Files.isDirectory(d.resolve(CERT_DIR))) {
      out.put("exposure.certificate.dir", d.resolve(CERT_DIR).toString());
    }
    if (Files.isDirectory(d.resolve(TRUST_DIR))) {
      out.put("exposure.trustAnchors", d.resolve(TRUST_DIR).toString());
    }
    if (Files.isRegularFile(d.resolve(PASSWORD))) {
      out.put("identity.password.file", d.resolve(PASSWORD).toString());
    }
    out.putAll(WorkstationTrust.profileOverrides(d));
    try {
      out.putAll(readSettings(d.resolve(PROFILE_SETTINGS)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + d.resolve(PROFILE_SETTINGS) + ": " + e.getMessage(), e);
    }
    return out;
  }
}
