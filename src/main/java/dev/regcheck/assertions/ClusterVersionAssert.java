package dev.regcheck.assertions;

import io.fabric8.openshift.api.model.config.v1.ClusterVersion;
import io.fabric8.openshift.api.model.config.v1.ClusterVersionCapabilitiesSpec;
import io.fabric8.openshift.api.model.config.v1.ClusterVersionCapabilitiesStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Assertions on {@code clusterversions.config.openshift.io/version}: the optional capabilities
 * (4.14+), which decide whether a component's manifests are installed at all.
 */
public final class ClusterVersionAssert extends DomainAssert<ClusterVersionAssert, ClusterVersion> {

  ClusterVersionAssert(ClusterVersion version) {
    super(version, ClusterVersionAssert.class);
  }

  /**
   * The capability is enabled, or is not optional in this release (absent from
   * {@code status.capabilities.knownCapabilities}, as ImageRegistry before 4.14), or the
   * ClusterVersion could not be read (nothing is known, nothing is claimed). When it is disabled,
   * the failure's fix is enabling it ({@code spec.capabilities.additionalEnabledCapabilities},
   * keeping those already listed: a merge patch replaces the list), not anything about the
   * component, which was never installed.
   */
  public ClusterVersionAssert enablesCapability(String capability, String consequence) {
    if (actual == null || actual.getStatus() == null || actual.getStatus().getCapabilities() == null) {
      return this;
    }
    ClusterVersionCapabilitiesStatus status = actual.getStatus().getCapabilities();
    List<String> known = status.getKnownCapabilities() == null ? List.of() : status.getKnownCapabilities();
    List<String> enabled = status.getEnabledCapabilities() == null ? List.of() : status.getEnabledCapabilities();
    if (!known.contains(capability) || enabled.contains(capability)) {
      return this;
    }
    ClusterVersionCapabilitiesSpec spec = actual.getSpec() == null ? null : actual.getSpec().getCapabilities();
    String baseline = spec == null || spec.getBaselineCapabilitySet() == null ? "vCurrent"
        : spec.getBaselineCapabilitySet();
    List<String> additional = new ArrayList<>(spec == null || spec.getAdditionalEnabledCapabilities() == null
        ? List.of() : spec.getAdditionalEnabledCapabilities());
    additional.add(capability);
    String list = additional.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(","));
    throw failure("the " + capability + " capability is not enabled (clusterversion version: baselineCapabilitySet "
        + baseline + ", enabled " + enabled + "): " + consequence)
        .withFix("oc patch clusterversion version --type merge -p '{\"spec\":{\"capabilities\":"
            + "{\"additionalEnabledCapabilities\":[" + list + "]}}}' (the cluster-version operator then installs "
            + "it; an enabled capability cannot be disabled again)");
  }
}
