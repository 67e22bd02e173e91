package dev.regcheck.run;

import dev.regcheck.lab.Provider;
import dev.regcheck.testlab.EmbeddedLabTest;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The fault matrix with the containers provider: the same rows, the same expectations, the registry,
 * HAProxy and NFS server as containers of the engine Testcontainers finds (skipped where none answers;
 * CI starts one with bin/container-engine). Afterwards the engine holds no container or network of any
 * lab (TestLabs asks it). The rows: every one whose fault lives in a real part (NFS, registry process,
 * router and its certificates, the API front proxy) and the healthy lab; the rest break the imitated
 * control plane, which is the same JVM code with either provider.
 */
@Tag("containers")
@EmbeddedLabTest(classLab = false, provider = Provider.CONTAINERS)
class ContainersFaultMatrixTest extends FaultMatrixTest {

  /** Rows whose fault is in a part that runs as a container. */
  static final Set<String> IN_CONTAINERS = Set.of("healthy", "pv-wrong-server", "registry-crashloop",
      "registry-hung", "replica-hung", "registry-down", "blob-corruption", "nfs-down", "export-missing",
      "export-readonly", "pv-wrong-path", "nfs-secure-export", "default-route-off", "ingress-ca-untrusted",
      "san-mismatch", "cert-expired", "key-mismatch", "route-named-default-route", "proxy-required",
      "client-cert-only", "unmanaged-route-edge");

  static Stream<Arguments> matrix() {
    String only = System.getProperty("regcheck.rows", "");
    return rows().filter(a -> IN_CONTAINERS.contains((String) a.get()[0])
        && (only.isBlank() || List.of(only.split(",")).contains((String) a.get()[0])));
  }
}
