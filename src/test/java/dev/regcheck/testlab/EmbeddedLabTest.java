package dev.regcheck.testlab;

import dev.regcheck.lab.Provider;
import dev.regcheck.lab.faults.Fault;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A self-test class that runs against embedded labs. With {@link #classLab()} the class gets one
 * lab with {@link #faults()} (parameters {@code EmbeddedLab} and {@code OpenShiftClient}, the
 * user's client, in {@code @BeforeAll}, tests and {@code @AfterAll}); any test may also ask for
 * {@link TestLabs} to start labs of its own. Every lab is stopped after its scope, its directory
 * removed, and the test fails when one of its processes outlives it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EmbeddedLabExtension.class)
public @interface EmbeddedLabTest {
  /** The faults of the class's lab. */
  Fault[] faults() default {};

  /** Whether the class has a lab of its own (started before the first test that asks for it). */
  boolean classLab() default true;

  /**
   * Where its labs run their real parts. {@code CONTAINERS}: through the engine Testcontainers finds
   * (the test is skipped, with the reason, where none answers); afterwards the engine must hold nothing
   * of the lab's: no container, no network.
   */
  Provider provider() default Provider.HOST;
}
