package dev.regcheck.junit;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.MethodDescriptor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;

/** The procedure's order: suites by step (a suite that watches over a window last), checks by id. */
public final class CheckOrder {
  private CheckOrder() {}

  /** Orders checks within a suite by catalog id. */
  public static final class Methods implements MethodOrderer {
    @Override
    public void orderMethods(MethodOrdererContext context) {
      context.getMethodDescriptors().sort(Comparator.comparing((MethodDescriptor d) ->
          d.findAnnotation(Check.class).map(Check::value).orElse("~" + d.getMethod().getName())));
    }
  }

  /** Orders suites by procedure step, those that watch over a window ({@link Conformance#last()}) last. */
  public static final class Classes implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
      context.getClassDescriptors().sort(Comparator.comparing((ClassDescriptor d) ->
          d.findAnnotation(Conformance.class).map(c -> (c.last() ? "1" : "0") + c.value().name())
              .orElse("~" + d.getTestClass().getName())));
    }
  }
}
