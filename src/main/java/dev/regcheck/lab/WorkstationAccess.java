package dev.regcheck.lab;

import dev.regcheck.lab.process.Haproxy;
import dev.regcheck.lab.apiserver.ApiFrontProxy;
import dev.regcheck.lab.apiserver.ApiServer;
import dev.regcheck.lab.apiserver.Identities;
import dev.regcheck.lab.core.Kubeconfig;
import dev.regcheck.lab.core.LabException;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.ServiceCa;
import dev.regcheck.lab.faults.FaultPlan;
import dev.regcheck.lab.ingress.ConnectProxy;
import dev.regcheck.lab.ingress.HaproxyRouter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the person's workstation reaches the lab: the kubeconfig it has (the user's token; the
 * installer's client certificate through the front proxy; another cluster's CA) and, for
 * proxy-required, the site's HTTP proxy: then the kubeconfig names {@code api.<domain>}, which only
 * the proxy resolves (to the API front listening on {@link ConnectProxy#BEHIND} only), the lab
 * publishes no DNS, the router refuses connections that are not the proxy's, and the
 * workstation's environment has {@code HTTPS_PROXY}/{@code NO_PROXY}.
 *
 * @param kubeconfig the kubeconfig file written
 * @param server the URL it names
 */
record WorkstationAccess(Path kubeconfig, String server) {
  /** What a workstation behind the site's proxy exempts, as such labs set it for oc. */
  static final String NO_PROXY = "localhost,127.0.0.1,.svc,.cluster.local";

  static WorkstationAccess set(Path dir, FaultPlan plan, LabSettings settings, ApiServer api, Identities identities,
      Optional<HaproxyRouter> router, KubernetesClient client, List<AutoCloseable> servers, Haproxy haproxy)
      throws LabException, IOException {
    Path file = dir.resolve("kubeconfig");
    if (plan.clientCertificateKubeconfig()) {
      ServiceCa clientCa = ServiceCa.create("admin-kubeconfig-signer");
      ApiFrontProxy front = ApiFrontProxy.start(haproxy, dir.resolve("api-front"), api.port(), api.caPem(), clientCa,
          identities.frontProxySecret());
      servers.add(front);
      ServiceCa.Serving admin = clientCa.client("system:admin", "system:masters");
      return new WorkstationAccess(Kubeconfig.writeClientCertificate(file, front.url(), front.caPem(),
          admin.certificateChainPem(), admin.privateKeyPem()), front.url());
    }
    // kubeconfig-wrong-ca: a kubeconfig whose CA is another cluster's (the document's x509 case)
    String ca = plan.kubeconfigWrongCa() ? ServiceCa.create(ApiServer.SIGNER).caPem() : api.caPem();
    String server = api.url();
    if (plan.proxyRequired()) {
      ConnectProxy proxy = ConnectProxy.start(Map.of(settings.apiHost(), new InetSocketAddress(ConnectProxy.BEHIND, 0),
          "*." + settings.appsDomain(), new InetSocketAddress("127.0.0.1", router.map(HaproxyRouter::httpsPort).orElse(0))));
      servers.add(proxy);
      server = "https://" + settings.apiHost() + ":" + api.port();
      LabFiles.addEnvironment(dir, Map.of("HTTPS_PROXY", proxy.url(), "NO_PROXY", NO_PROXY));
    } else {
      router.ifPresent(r -> LabNotes.publishDns(client, Map.of("*." + settings.appsDomain(), "127.0.0.1:" + r.httpsPort())));
    }
    return new WorkstationAccess(Kubeconfig.write(file, server, ca, identities.userActor(), identities.userToken()), server);
  }
}
