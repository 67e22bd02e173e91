package dev.regcheck.lab.registry;

import java.nio.file.Path;

/** The Distribution configuration the lab gives each registry process (all paths under workDir). */
public final class RegistryConfigFile {
  private RegistryConfigFile() {}

  /**
   * How the registries plug into the rest of the lab: token auth against the lab's token server
   * ({@code realm}, {@code service}, {@code issuer}, the signer's certificate as
   * {@code rootcertbundle}) and notifications to the lab's event endpoint ({@code eventsUrl} null:
   * none are sent, the NOTIFICATIONS_LOST fault).
   */
  public record Integration(String realm, String service, String issuer, String signerCertificatePem,
      String eventsUrl) {}

  static String render(int port, int debugPort, Path rootDirectory, Path certificate, Path key,
      Integration integration, Path rootCertBundle) {
    // No storage.cache: the lab edits the storage when Image objects go (RegistryFiles), and a
    // blob-descriptor cache would keep serving what was removed.
    String config = """
        version: 0.1
        log:
          level: info
          formatter: text
          fields:
            service: registry
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        auth:
          token:
            realm: %s
            service: %s
            issuer: %s
            rootcertbundle: %s
        http:
          addr: 127.0.0.1:%d
          net: tcp
          tls:
            certificate: %s
            key: %s
          debug:
            addr: 127.0.0.1:%d
          headers:
            X-Content-Type-Options: [nosniff]
        """.formatted(rootDirectory.toAbsolutePath(), integration.realm(), integration.service(),
        integration.issuer(), rootCertBundle.toAbsolutePath(), port, certificate.toAbsolutePath(),
        key.toAbsolutePath(), debugPort);
    if (integration.eventsUrl() == null) {
      return config;
    }
    return config + """
        notifications:
          events:
            includereferences: true
          endpoints:
            - name: lab-api
              url: %s
              timeout: 2s
              threshold: 3
              backoff: 1s
              ignoredmediatypes:
                - application/octet-stream
        """.formatted(integration.eventsUrl());
  }
}
