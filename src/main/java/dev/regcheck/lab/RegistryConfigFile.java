package dev.regcheck.lab;

import java.nio.file.Path;

/** The Distribution configuration the lab gives each registry process (all paths under workDir). */
final class RegistryConfigFile {
  private RegistryConfigFile() {}

  static String render(int port, int debugPort, Path rootDirectory, Path certificate, Path key) {
    return """
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
          cache:
            blobdescriptor: inmemory
          maintenance:
            uploadpurging:
              enabled: false
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
        """.formatted(rootDirectory.toAbsolutePath(), port, certificate.toAbsolutePath(),
        key.toAbsolutePath(), debugPort);
  }
}
