package dev.regcheck.lab.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import dev.regcheck.lab.process.Part;
import dev.regcheck.lab.process.Haproxy;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.Ports;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.process.ChildProcesses;
import java.util.List;

/**
 * Client-certificate authentication for the lab's API server, the way kube-apiserver's
 * request-header authenticator works behind a front proxy: a real HAProxy on 127.0.0.1 terminates
 * TLS, verifies an optional client certificate against the lab's client CA, and passes the
 * subject's CN as {@code X-Remote-User} with a header only it knows (the mock API server cannot see
 * TLS client certificates). Bearer tokens pass through unchanged. Used for the kubeconfig the
 * installer writes ({@code auth/kubeconfig}: {@code system:admin} by client certificate, no token).
 */
public final class ApiFrontProxy implements AutoCloseable, ChildProcesses {
  private final Part process;
  private final int port;
  private final ServiceCa frontCa;

  private ApiFrontProxy(Part process, int port, ServiceCa frontCa) {
    this.process = process;
    this.port = port;
    this.frontCa = frontCa;
  }

  /**
   * Starts HAProxy in front of {@code apiPort}; its files (certificates, key and the configuration
   * holding the proxy's secret) are written owner-only under {@code dir}.
   */
  public static ApiFrontProxy start(Haproxy haproxy, Path dir, int apiPort, String apiCaPem, ServiceCa clientCa, String secret)
      throws LabException {
    try {
      Files.createDirectories(dir);
      ServiceCa frontCa = ServiceCa.create("kube-apiserver-localhost-signer");
      ServiceCa.Serving serving = frontCa.serving("127.0.0.1", "localhost");
      int port = Ports.free();
      write(dir.resolve("front.pem"), serving.certificateChainPem() + serving.privateKeyPem());
      write(dir.resolve("client-ca.pem"), clientCa.caPem());
      write(dir.resolve("api-ca.pem"), apiCaPem);
      String cfg = """
          global
            tune.ssl.default-dh-param 2048
          defaults
            mode http
            timeout connect 5s
            timeout client 10m
            timeout server 10m
            timeout tunnel 1h
          frontend api
            bind 127.0.0.1:%d ssl crt %s ca-file %s verify optional
            http-request del-header %s
            http-request del-header %s
            http-request del-header X-Remote-Group
            http-request set-header %s %%[ssl_c_s_dn(CN)] if { ssl_c_used } { ssl_c_verify 0 }
            http-request set-header X-Remote-Group %%[ssl_c_s_dn(O)] if { ssl_c_used } { ssl_c_verify 0 }
            http-request set-header %s %s if { ssl_c_used } { ssl_c_verify 0 }
            default_backend api
          backend api
            server api 127.0.0.1:%d ssl verify required ca-file %s
          """.formatted(port, dir.resolve("front.pem"), dir.resolve("client-ca.pem"),
          LabDispatcher.REMOTE_USER_HEADER, LabDispatcher.FRONT_PROXY_HEADER, LabDispatcher.REMOTE_USER_HEADER,
          LabDispatcher.FRONT_PROXY_HEADER, secret, apiPort, dir.resolve("api-ca.pem"));
      Path file = dir.resolve("haproxy.cfg");
      write(file, cfg);
      Optional<String> invalid = haproxy.check(file);
      if (invalid.isPresent()) {
        throw new LabException("the API front proxy's configuration is refused by haproxy: " + invalid.get(), null);
      }
      Part process = haproxy.start("lab-api-front", file, dir, null, null, dir.resolve("haproxy.log"));
      ApiFrontProxy proxy = new ApiFrontProxy(process, port, frontCa);
      boolean listening;
      try {
        listening = process.awaitListening(port, Haproxy.READY_LIMIT);
      } catch (InterruptedException e) {
        proxy.close(); // started here, stopped here: the caller never got it
        throw e;
      }
      if (listening) {
        return proxy;
      }
      proxy.close();
      throw new LabException("the API front proxy did not listen on 127.0.0.1:" + port + " within "
          + Haproxy.READY_LIMIT.toSeconds() + " s (see " + dir.resolve("haproxy.log") + ")", null);
    } catch (IOException e) {
      throw new LabException("the API front proxy could not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("the API front proxy's start was interrupted", e);
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }

  public String url() {
    return "https://127.0.0.1:" + port;
  }

  /** The CA of the proxy's serving certificate (what the kubeconfig's certificate-authority-data holds). */
  public String caPem() {
    return frontCa.caPem();
  }

  @Override
  public List<Long> childPids() {
    return process.alive() ? List.of(process.pid()) : List.of();
  }

  @Override
  public void close() {
    process.stop(Haproxy.STOP_GRACE);
  }
}
