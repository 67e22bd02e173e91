package dev.regcheck.lab.faults;

import dev.regcheck.pki.CustomCertificate;
import dev.regcheck.pki.LeafProfile;
import dev.regcheck.pki.Pem;
import dev.regcheck.pki.RootCa;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.openshift.client.OpenShiftClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import dev.regcheck.lab.core.LabSettings;
import dev.regcheck.lab.core.WellKnown;

/**
 * S11 done wrongly, before the harness runs: the secret {@code registry} and the {@code spec.routes}
 * entry as the person made them, with the one mistake of the fault. Keys are 2048-bit (the
 * document's 4096 would only slow the lab down; S11.2 accepts 2048 and says the document uses 4096).
 */
final class CustomRouteSeed {
  static final String SECRET = "registry";
  static final String ENTRY = "public-routes";

  private CustomRouteSeed() {}

  static void seed(OpenShiftClient client, LabSettings s, Set<Fault> faults, RootCa root) {
    String host = "registry." + s.appsDomain();
    LeafProfile leaf = LeafProfile.document(host).withKeyBits(2048);
    CustomCertificate cert;
    String keyPem = null;
    String entry = ENTRY;
    if (faults.contains(Fault.SAN_MISMATCH)) {
      String cluster = s.appsDomain().startsWith("apps.") ? s.appsDomain().substring(5) : "other." + s.appsDomain();
      cert = CustomCertificate.issue(root, leaf.withDnsNames("registry." + cluster));
    } else if (faults.contains(Fault.CERT_EXPIRED)) {
      cert = CustomCertificate.issue(root, leaf.expiredBefore(Instant.now()));
    } else if (faults.contains(Fault.WRONG_ROOT)) {
      cert = CustomCertificate.issue(RootCa.generate("old lab root CA", 2048, Duration.ofDays(3650)), leaf);
    } else if (faults.contains(Fault.KEY_MISMATCH)) {
      cert = CustomCertificate.issue(root, leaf);
      keyPem = Pem.privateKeyPem(CustomCertificate.issue(root, leaf).privateKey(), Pem.KeyFormat.TRADITIONAL);
    } else if (faults.contains(Fault.ROUTE_NAMED_DEFAULT_ROUTE)) {
      cert = CustomCertificate.issue(root, leaf);
      entry = WellKnown.DEFAULT_ROUTE;
    } else if (faults.stream().anyMatch(Fault::procedureDone)) {
      cert = CustomCertificate.issue(root, leaf); // S11 done right
    } else {
      return;
    }
    if (keyPem == null) {
      keyPem = Pem.privateKeyPem(cert.privateKey(), Pem.KeyFormat.TRADITIONAL);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    client.secrets().inNamespace(s.namespace()).resource(new SecretBuilder().withNewMetadata().withName(SECRET)
        .withNamespace(s.namespace()).endMetadata().withType("kubernetes.io/tls")
        .addToData("tls.crt", b64.encodeToString(cert.certificatePem().getBytes(StandardCharsets.US_ASCII)))
        .addToData("tls.key", b64.encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII))).build()).create();
    client.imageRegistryOperatorConfigs().withName("cluster").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"routes\":[{\"name\":\"" + entry + "\",\"hostname\":\"" + host + "\",\"secretName\":\""
            + SECRET + "\"}]}}");
  }
}
