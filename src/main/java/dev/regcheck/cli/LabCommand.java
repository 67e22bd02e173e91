package dev.regcheck.cli;

import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.Provider;
import dev.regcheck.lab.faults.Fault;
import dev.regcheck.lab.apiserver.RequestLog;
import dev.regcheck.profile.LabProfile;
import dev.regcheck.profile.ProfileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.regcheck.lab.LabFiles;
import java.util.concurrent.Callable;

/** {@code regcheck lab up}: keep an embedded lab running for practice and for {@code run --lab sandbox}. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "The embedded lab.",
    subcommands = {LabCommand.Up.class, LabCommand.Gather.class})
final class LabCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** {@code regcheck lab} alone does nothing: an error (exit 2), not a silent success. */
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "lab: a sub-command is needed: up, gather");
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Start the embedded lab and keep it running until interrupted (Ctrl-C).")
  static final class Up implements Callable<Integer> {

    @Option(names = "--fault", paramLabel = "NAME", description = "break the lab (repeatable)")
    List<String> faults = List.of();

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "also write the lab's kubeconfig here")
    Path kubeconfig;

    @Option(names = "--provider", defaultValue = "auto", paramLabel = "host|containers|auto",
        description = Labs.PROVIDER_HELP)
    String provider;

    @Override
    public Integer call() throws Exception {
      Set<Fault> chosen = Labs.faults(faults);
      if (kubeconfig != null && Files.exists(kubeconfig)) {
        throw new IllegalArgumentException("--kubeconfig: " + kubeconfig + " exists; give a new file name (lab up "
            + "writes it and removes it when the lab stops, so it never replaces a kubeconfig of yours)");
      }
      LabProfile profile = ProfileLoader.fromSystem(Map.of()).load(Home.profiles().resolve("sandbox.yaml"));
      Provider where = Labs.provider(provider);
      Path work = Home.state().resolve("lab");
      Path pid = Home.state().resolve("lab.pid");
      if (Files.exists(pid)) {
        long other = Long.parseLong(Files.readString(pid).strip());
        if (ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false)) {
          throw new IllegalStateException("a lab is already running (pid " + other + "); stop it with Ctrl-C or kill "
              + other + " first");
        }
      }
      Labs.delete(work);
      Files.createDirectories(work);
      Files.writeString(pid, Long.toString(ProcessHandle.current().pid()));
      CountDownLatch stopped = new CountDownLatch(1);
      EmbeddedLab lab = EmbeddedLab.start(Labs.settings(profile), chosen, work, where);
      Labs.mark(work, lab.apiUrl());
      Path requests = Home.state().resolve("lab-requests.log");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        writeRequests(lab, requests);
        lab.close();
        Labs.delete(work);
        try {
          Files.deleteIfExists(pid);
          if (kubeconfig != null) {
            Files.deleteIfExists(kubeconfig);
          }
        } catch (IOException ignored) {
          // best effort at exit
        }
        stopped.countDown();
      }, "regcheck-lab-stop"));
      if (kubeconfig != null) {
        // created owner-only before the token is written into it
        Files.createFile(kubeconfig, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(kubeconfig, Files.readAllBytes(lab.kubeconfig()));
      }
      Path kc = kubeconfig != null ? kubeconfig : lab.kubeconfig();
      System.out.println("embedded lab running (" + where.word() + "): API " + lab.apiUrl());
      System.out.println("kubeconfig: " + kc);
      String nfsServer = lab.profileOverrides().getOrDefault("nfs.server", profile.nfs().server());
      System.out.println(lab.nfsUnavailable().map(why -> "NFS: none, S02 will SKIP (" + why + ")")
          .orElse("NFS: " + nfsServer + ":" + profile.nfs().path() + " (nfs-ganesha in "
              + lab.nfsNamespace().map(ns -> "network namespace " + ns).orElse("a container") + "; try: showmount -e "
              + nfsServer + ")"));
      // what a pod of this cluster reaches (KUBERNETES_SERVICE_HOST/PORT) and its service-account ca.crt
      Path apiCa = work.resolve("api-ca.crt");
      Files.writeString(apiCa, lab.apiCaPem());
      System.out.println("pod API: " + lab.inClusterApiUrl() + " (a pod's KUBERNETES_SERVICE_HOST/PORT; its ca.crt: "
          + apiCa + ")");
      System.out.println(lab.routerPort().isPresent()
          ? "router: HAProxy on 127.0.0.1:" + lab.routerPort().getAsInt() + " for *." + profile.cluster().appsDomain()
              + " (try: curl --resolve default-route-openshift-image-registry." + profile.cluster().appsDomain() + ":"
              + lab.routerPort().getAsInt() + ":127.0.0.1 -k https://default-route-openshift-image-registry."
              + profile.cluster().appsDomain() + ":" + lab.routerPort().getAsInt() + "/v2/)"
          : "router: none, S10–S12 route checks will fail (" + lab.routerUnavailable().orElse("?") + ")");
      System.out.println("workstation files: lab root CA " + work.resolve(LabFiles.ROOT_CA) + ", trust anchors "
          + work.resolve(LabFiles.TRUST_DIR) + ", " + profile.identity().user() + "'s password in "
          + work.resolve(LabFiles.PASSWORD) + " (0600)");
      Map<String, String> environment = LabFiles.runEnvironment(work);
      for (String name : List.of("HTTPS_PROXY", "NO_PROXY", "KUBERNETES_SERVICE_HOST")) {
        String value = environment.get(name);
        if (value != null && !value.equals(System.getenv(name))) {
          System.out.println("workstation environment: " + name + "=" + value + " (run --lab sandbox uses it)");
        }
      }
      System.out.println("request log (written every second): " + requests);
      System.out.println("try:  kubectl --kubeconfig " + kc + " get configs.imageregistry.operator.openshift.io cluster -o yaml");
      System.out.println("      kubectl --kubeconfig " + kc
          + " patch configs.imageregistry.operator.openshift.io cluster --type merge -p '{\"spec\":{\"managementState\":\"Managed\"}}'");
      System.out.println("      ./regcheck run --lab sandbox --mode audit");
      System.out.println("Ctrl-C stops the lab and removes its files.");
      System.out.flush();
      Thread writer = new Thread(() -> {
        while (stopped.getCount() > 0) {
          writeRequests(lab, requests);
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "regcheck-lab-requests");
      writer.setDaemon(true);
      writer.start();
      stopped.await();
      return 0;
    }

    private static void writeRequests(EmbeddedLab lab, Path file) {
      StringBuilder sb = new StringBuilder();
      for (RequestLog.Entry e : lab.requests()) {
        sb.append(e.actor()).append(' ').append(e.method()).append(' ').append(e.path()).append('\n');
      }
      try {
        // replaced in one step: a reader never sees a half-written log
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, sb.toString());
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException ignored) {
        // the next second tries again
      }
    }
  }

  @Command(name = "gather", mixinStandardHelpOptions = true,
      description = "Write the running lab's objects (beside ./regcheck lab up) as oc adm must-gather lays them out, "
          + "for ./regcheck audit --snapshot and for practice in reading captures.")
  static final class Gather implements Callable<Integer> {

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "DIR", description = "a new or empty folder")
    Path dest;

    @Override
    public Integer call() throws Exception {
      if (Files.exists(dest)) {
        boolean empty;
        try (var entries = Files.isDirectory(dest) ? Files.list(dest) : java.util.stream.Stream.of(dest)) {
          empty = Files.isDirectory(dest) && entries.findAny().isEmpty();
        }
        if (!empty) {
          throw new IllegalArgumentException(dest + ": exists and is not an empty folder; give a new one");
        }
      }
      Path profilePath = Home.profiles().resolve("sandbox.yaml");
      LabProfile profile = ProfileLoader.fromSystem(Map.of()).load(profilePath);
      Path kubeconfig = profile.cluster().kubeconfig();
      if (kubeconfig == null || !Files.isRegularFile(kubeconfig) || !Labs.isEmbeddedLab(kubeconfig)) {
        throw new IllegalStateException("no embedded lab is running: start one with ./regcheck lab up, then gather");
      }
      try (var client = dev.regcheck.client.ClusterClients.connect(profile, true,
          LabFiles.runEnvironment(kubeconfig.getParent()))) {
        int n = dev.regcheck.snapshot.MustGatherWriter.write(client, dest, java.time.Instant.now());
        System.out.println("wrote " + n + " objects as oc adm must-gather lays them out in " + dest
            + "; audit them with ./regcheck audit --snapshot " + dest);
      }
      return 0;
    }
  }
}
