package dev.regcheck.assertions;

import io.fabric8.openshift.api.model.operator.imageregistry.v1.Config;
import io.fabric8.openshift.api.model.operator.imageregistry.v1.ImageRegistryConfigStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Assertions on {@code configs.imageregistry.operator.openshift.io/cluster} (S01, S05, S07). */
public final class RegistryConfigAssert extends DomainAssert<RegistryConfigAssert, Config> {

  /** Reasons after which the operator will not make progress without a spec change. */
  public static final List<String> PERMANENT_REASONS = List.of("StorageNotConfigured", "VerificationFailed");

  RegistryConfigAssert(Config config) {
    super(config, RegistryConfigAssert.class);
  }

  public RegistryConfigAssert exists(String name) {
    return present("configs.imageregistry.operator.openshift.io/" + name);
  }

  /** {@code spec.defaultRoute: true}: the operator makes route default-route (S10). */
  public RegistryConfigAssert hasDefaultRoute() {
    Boolean on = actual.getSpec().getDefaultRoute();
    if (!Boolean.TRUE.equals(on)) {
      throw new CheckFailure("spec.defaultRoute is " + (on == null ? "not set (false)" : "false")
          + ": the operator makes no default route", List.of(new CheckFailure.Evidence("config.yaml", Yaml.of(actual))));
    }
    return this;
  }

  public RegistryConfigAssert isManaged() {
    String state = actual.getSpec() == null ? null : actual.getSpec().getManagementState();
    check("Managed".equals(state), "spec.managementState is " + state + ", not Managed"
        + ("Removed".equals(state) ? " (bare metal installs the registry as Removed)" : ""));
    return this;
  }

  public ConditionsAssert conditions() {
    return new ConditionsAssert(conditionList(), "config " + actual.getMetadata().getName());
  }

  public List<Cond> conditionList() {
    return actual.getStatus() == null ? List.of() : Cond.ofOperator(actual.getStatus().getConditions());
  }

  /** Whether the operator has processed the config's latest spec (observedGeneration ≥ generation). */
  public static boolean observed(Config c) {
    return c != null && c.getStatus() != null && c.getStatus().getObservedGeneration() != null
        && c.getMetadata().getGeneration() != null
        && c.getStatus().getObservedGeneration() >= c.getMetadata().getGeneration();
  }

  /** observedGeneration has caught up with generation. */
  public RegistryConfigAssert isObserved() {
    Long gen = actual.getMetadata().getGeneration();
    Long observed = actual.getStatus() == null ? null : actual.getStatus().getObservedGeneration();
    check(observed(actual),
        "the operator has not processed the latest spec: status.observedGeneration " + observed + " < metadata.generation " + gen);
    return this;
  }

  /** The permanent error the operator reports, if any: StorageNotConfigured or VerificationFailed. */
  public Optional<Cond> permanentError() {
    return conditionList().stream()
        .filter(c -> c.reason() != null && PERMANENT_REASONS.contains(c.reason()) && ("Degraded".equals(c.type()) ? c.is("True") : true))
        .filter(c -> "Degraded".equals(c.type()) || "Available".equals(c.type()))
        .findFirst();
  }

  /**
   * Storage the operator will not apply however long it retries: several storage types (its
   * "exactly one storage type" error), or a named claim that does not exist (the operator creates
   * only the claim it names itself, when spec.storage.pvc.claim is empty). Either lasts until
   * someone edits the config or creates the claim.
   */
  public Optional<String> storageCannotBeApplied() {
    ImageRegistryConfigStorage s = actual.getSpec() == null ? null : actual.getSpec().getStorage();
    List<String> types = s == null ? List.of() : storageTypes(s);
    if (types.size() > 1) {
      return Optional.of("spec.storage has " + types.size() + " storage types " + types
          + operatorSays("exactly one storage type").map(m -> "; the operator says: " + m).orElse(""));
    }
    String claim = s == null || s.getPvc() == null ? null : s.getPvc().getClaim();
    Optional<Cond> exists = Cond.find(conditionList(), "StorageExists");
    if (claim != null && !claim.isEmpty() && exists.isPresent() && exists.get().is("False")
        && exists.get().message() != null && exists.get().message().contains("\"" + claim + "\" not found")) {
      return Optional.of("the operator reports " + exists.get() + ": claim " + claim + " does not exist, and the "
          + "operator creates a claim only when spec.storage.pvc.claim is empty");
    }
    return Optional.empty();
  }

  public RegistryConfigAssert isNotStuck() {
    permanentError().ifPresent(c -> {
      if ("StorageNotConfigured".equals(c.reason())) {
        throw failure("the operator is stuck on StorageNotConfigured (" + c.message() + "): the registry was set to Managed "
            + "with no storage; configure spec.storage (S05) first or together with Managed");
      }
      throw failure("the operator rejected the config with VerificationFailed: " + c.message());
    });
    return this;
  }

  /** Exactly one storage type, and it is the claim. */
  public RegistryConfigAssert hasOnlyClaim(String claim) {
    ImageRegistryConfigStorage s = actual.getSpec() == null ? null : actual.getSpec().getStorage();
    List<String> types = s == null ? List.of() : storageTypes(s);
    check(!types.isEmpty(), "spec.storage has no storage type configured; expected pvc.claim " + claim);
    check(types.size() == 1, "spec.storage has " + types.size() + " storage types " + types + "; exactly one is allowed"
        + operatorSays("exactly one storage type").map(m -> " — the operator says: " + m).orElse(""));
    check(types.get(0).equals("pvc"), "spec.storage uses " + types.get(0) + ", expected pvc.claim " + claim);
    String configured = s.getPvc().getClaim();
    check(claim.equals(configured), "spec.storage.pvc.claim is '" + (configured == null ? "" : configured)
        + "', expected " + claim);
    return this;
  }

  /** status.storage.pvc.claim equals the claim and StorageExists is True. */
  public RegistryConfigAssert hasStorageApplied(String claim) {
    ImageRegistryConfigStorage s = actual.getStatus() == null ? null : actual.getStatus().getStorage();
    String applied = s == null || s.getPvc() == null ? null : s.getPvc().getClaim();
    Optional<Cond> exists = Cond.find(conditionList(), "StorageExists");
    check(exists.isPresent() && exists.get().is("True"), exists.map(c -> "the operator reports " + c + "; expected StorageExists=True")
        .orElse("the operator has not reported condition StorageExists"));
    check(claim.equals(applied), "status.storage.pvc.claim is " + applied + ", expected " + claim);
    return this;
  }

  /** spec.storage.managementState Managed, mirrored in status. */
  public RegistryConfigAssert hasManagedStorage() {
    ImageRegistryConfigStorage spec = actual.getSpec() == null ? null : actual.getSpec().getStorage();
    String wanted = spec == null ? null : spec.getManagementState();
    check("Managed".equals(wanted), "spec.storage.managementState is " + wanted + ", not Managed");
    var status = actual.getStatus();
    String mirrored = status == null || status.getStorage() == null ? null : status.getStorage().getManagementState();
    Boolean managed = status == null ? null : status.getStorageManaged();
    List<String> d = new ArrayList<>();
    if (!"Managed".equals(mirrored)) {
      d.add("status.storage.managementState is " + mirrored);
    }
    if (!Objects.equals(Boolean.TRUE, managed)) {
      d.add("status.storageManaged is " + managed);
    }
    noDeviations("the operator has not applied Managed storage", d);
    return this;
  }

  /** The message of a condition of the operator's that contains {@code text}, if any (it may say it better). */
  private Optional<String> operatorSays(String text) {
    return Optional.ofNullable(actual.getStatus()).map(s -> s.getConditions()).orElse(List.of()).stream()
        .map(c -> c.getMessage()).filter(m -> m != null && m.contains(text)).findFirst();
  }

  public static List<String> storageTypes(ImageRegistryConfigStorage s) {
    List<String> t = new ArrayList<>();
    if (s.getEmptyDir() != null) {
      t.add("emptyDir");
    }
    if (s.getS3() != null) {
      t.add("s3");
    }
    if (s.getGcs() != null) {
      t.add("gcs");
    }
    if (s.getSwift() != null) {
      t.add("swift");
    }
    if (s.getPvc() != null) {
      t.add("pvc");
    }
    if (s.getAzure() != null) {
      t.add("azure");
    }
    if (s.getIbmcos() != null) {
      t.add("ibmcos");
    }
    if (s.getOss() != null) {
      t.add("oss");
    }
    return t;
  }
}
