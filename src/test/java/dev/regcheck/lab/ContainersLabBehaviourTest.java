package dev.regcheck.lab;

import dev.regcheck.testlab.EmbeddedLabTest;
import org.junit.jupiter.api.Tag;

/**
 * The lab's behaviour tests with the containers provider: the same registry pods (probes, a hang by
 * SIGSTOP to the container's process, a crash loop read from the container's exit code and logs), the
 * same storage and operator behaviour, with the registry, HAProxy and the NFS server as containers.
 */
@Tag("containers")
@EmbeddedLabTest(classLab = false, provider = Provider.CONTAINERS)
class ContainersLabBehaviourTest extends EmbeddedLabBehaviourTest {
}
