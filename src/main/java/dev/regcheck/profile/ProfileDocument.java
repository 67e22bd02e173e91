package dev.regcheck.profile;

import java.util.List;
import java.util.Map;

/**
 * A profile file exactly as YAML gives it, bound by Jackson with unknown fields refused: every
 * leaf is the text the file (or an override) holds; {@link ProfileLoader} checks and converts
 * them into a {@link LabProfile}. The record components are the profile's schema: the field names
 * a file may use, the paths {@code --set} and {@code REGCHECK_*} may name.
 */
record ProfileDocument(
    String name,
    String description,
    String embedded,
    String lang,
    Cluster cluster,
    Identity identity,
    Nfs nfs,
    Storage storage,
    Registry registry,
    TestImage testImage,
    Exposure exposure,
    Timeouts timeouts,
    Apply apply,
    String knownIssues) {

  record Cluster(String apiUrl, String kubeconfig, String context, String appsDomain, List<String> nodes,
      Map<String, String> hosts) {
    static final Cluster EMPTY = new Cluster(null, null, null, null, null, null);
  }

  record Identity(String user, Secret token, Secret password, Secret unprivilegedToken) {
    static final Identity EMPTY = new Identity(null, null, null, null);
  }

  record Nfs(String server, String path) {
    static final Nfs EMPTY = new Nfs(null, null);
  }

  record Storage(String pv, String capacity, String pvc, String request, String claim) {
    static final Storage EMPTY = new Storage(null, null, null, null, null);
  }

  record Registry(String namespace, String config, String deployment, String podSelector, String service,
      String access) {
    static final Registry EMPTY = new Registry(null, null, null, null, null, null);
  }

  record TestImage(String repository, String tag, String source, String format) {
    static final TestImage EMPTY = new TestImage(null, null, null, null);
  }

  record Exposure(String routes, Route route, Certificate certificate, String trustAnchors, String trustBundle,
      String registryCerts, String trustUpdate) {
    static final Exposure EMPTY = new Exposure(null, null, null, null, null, null, null);
  }

  record Route(String name, String hostname, String secret) {
    static final Route EMPTY = new Route(null, null, null);
  }

  record Certificate(String subject, String keyBits, String days, String rootCa, Secret rootKey, String dir) {
    static final Certificate EMPTY = new Certificate(null, null, null, null, null, null);
  }

  record Timeouts(String settle, String poll, String request, String hotLoopWindow) {
    static final Timeouts EMPTY = new Timeouts(null, null, null, null);
  }

  record Apply(String consent) {
    static final Apply EMPTY = new Apply(null);
  }

  /** Where a secret is: {@code {env: NAME}} or {@code {file: PATH}}, never its value. */
  record Secret(String env, String file) {}
}
