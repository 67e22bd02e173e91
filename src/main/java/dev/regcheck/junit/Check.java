package dev.regcheck.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;

/**
 * One catalog check. Its display name, tags, prerequisites and remediation come from the
 * catalog entry with this id; nothing about the check is restated here.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Test
public @interface Check {
  /** The catalog id, e.g. {@code S04.2}. */
  String value();
}
