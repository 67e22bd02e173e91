package dev.regcheck.junit;

import dev.regcheck.catalog.Step;
import dev.regcheck.catalog.Tags;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A conformance suite for one procedure step. Suites run in the procedure's order (those marked
 * {@link #last()} after all the others) and their checks in id order, because the procedure itself
 * is a sequence; the step's fixture applies it first in apply mode.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(Tags.CONFORMANCE)
@ExtendWith(RegcheckExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(CheckOrder.Methods.class)
@DisplayNameGeneration(CatalogDisplayNames.class)
public @interface Conformance {
  Step value();

  /**
   * Runs after every other suite: its check watches something over a window of time that begins
   * in an earlier check, so the window runs while the others do (S05.4).
   */
  boolean last() default false;
}
