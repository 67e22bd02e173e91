package dev.regcheck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regcheck.registry.Challenge;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The throughput benchmark's limit: curl moving one blob with the fewest requests the distribution API
 * allows. Each operation fetches a token from the realm the registry's challenge names (Basic with the
 * OpenShift token, as every client logs in), then a push is POST an upload and PUT the whole file to its
 * {@code Location} with {@code ?digest=}, and a pull is one GET into a file. The names resolve to the
 * registry's address with {@code --resolve}, TLS is verified against the service CA, and credentials go
 * through owner-only curl config files, never the command line.
 */
final class CurlClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String registry;
  private final Path ca;
  private final Path work;
  private final String token;
  private String realm;
  private String service;

  CurlClient(String registry, Path ca, Path work, String token) {
    this.registry = registry;
    this.ca = ca;
    this.work = work;
    this.token = token;
  }

  void push(String repo, String digest, Path file) throws IOException, InterruptedException {
    Path bearer = bearer(repo, "push,pull");
    try {
      String headers = curl(List.of("-K", bearer.toString(), "-X", "POST", "-D", "-", "-o", "/dev/null",
          "https://" + registry + "/v2/" + repo + "/blobs/uploads/"));
      String location = header(headers, "Location");
      URI upload = URI.create("https://" + registry + "/").resolve(location);
      String put = upload + (upload.getQuery() == null ? "?" : "&") + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8);
      curl(List.of("-K", bearer.toString(), "-T", file.toString(), "-o", "/dev/null", put));
    } finally {
      Files.deleteIfExists(bearer);
    }
  }

  void pull(String repo, String digest, Path out) throws IOException, InterruptedException {
    Path bearer = bearer(repo, "pull");
    try {
      curl(List.of("-K", bearer.toString(), "-o", out.toString(), "https://" + registry + "/v2/" + repo + "/blobs/" + digest));
    } finally {
      Files.deleteIfExists(bearer);
    }
  }

  /** A config file with the bearer token for {@code repo} (a token request of its own, as each operation makes). */
  private Path bearer(String repo, String actions) throws IOException, InterruptedException {
    if (realm == null) {
      String headers = curl(List.of("-D", "-", "-o", "/dev/null", "-w", "", "https://" + registry + "/v2/"), 401);
      Challenge c = Challenge.parse(401, header(headers, "WWW-Authenticate")).get(0);
      realm = c.params().get("realm");
      service = c.params().get("service");
    }
    Path basic = secret("user = \"bench:" + token + "\"\n");
    String answer;
    try {
      answer = curl(List.of("-K", basic.toString(), realm + "?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
          + "&scope=" + URLEncoder.encode("repository:" + repo + ":" + actions, StandardCharsets.UTF_8)));
    } finally {
      Files.deleteIfExists(basic);
    }
    JsonNode json = JSON.readTree(answer);
    String bearerToken = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText();
    return secret("header = \"Authorization: Bearer " + bearerToken + "\"\n");
  }

  private Path secret(String text) throws IOException {
    Path file = Files.createTempFile(work, "curl-", ".cfg",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text);
    return file;
  }

  private static String header(String headers, String name) throws IOException {
    for (String line : headers.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    throw new IOException("no " + name + " in the answer: " + headers.lines().findFirst().orElse(""));
  }

  private String curl(List<String> args) throws IOException, InterruptedException {
    return curl(args, 0);
  }

  /** Runs curl; {@code status} 0 means any 2xx (--fail), else the answer's status must be that one. */
  private String curl(List<String> args, int status) throws IOException, InterruptedException {
    String host = registry.substring(0, registry.lastIndexOf(':'));
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--cacert", ca.toString(),
        "--resolve", registry + ":127.0.0.1"));
    if (realm != null) {
      URI r = URI.create(realm);
      command.addAll(List.of("--resolve", r.getHost() + ":" + r.getPort() + ":127.0.0.1"));
    }
    if (status == 0) {
      command.add("--fail");
    }
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("curl to " + host + " failed (exit " + p.exitValue() + ")");
    }
    if (status != 0 && !out.startsWith("HTTP/1.1 " + status) && !out.startsWith("HTTP/2 " + status)) {
      throw new IOException("curl: expected " + status + ", got " + out.lines().findFirst().orElse(""));
    }
    return out;
  }
}
