package dev.regcheck.testlab;

import dev.regcheck.lab.Provider;
import dev.regcheck.lab.EmbeddedLab;
import dev.regcheck.lab.LabDriver;
import dev.regcheck.lab.faults.Fault;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@link EmbeddedLabTest}'s engine: the class lab and its user client live in the class's store,
 * {@link TestLabs} in the test's; JUnit closes both when their scope ends.
 */
final class EmbeddedLabExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EmbeddedLabExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> type = pc.getParameter().getType();
    return type == TestLabs.class
        || (classLab(ec) && (type == EmbeddedLab.class || type == OpenShiftClient.class));
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> type = pc.getParameter().getType();
    if (type == TestLabs.class) {
      return ec.getStore(NS).getOrComputeIfAbsent("labs", k -> new Closing(new TestLabs(ec.getDisplayName(), provider(ec))),
          Closing.class).labs();
    }
    ClassLab lab = classStore(ec).getOrComputeIfAbsent("classLab", k -> ClassLab.start(ec), ClassLab.class);
    return type == EmbeddedLab.class ? lab.lab() : lab.client();
  }

  private static boolean classLab(ExtensionContext ec) {
    EmbeddedLabTest a = ec.getRequiredTestClass().getAnnotation(EmbeddedLabTest.class);
    return a != null && a.classLab();
  }

  private static Provider provider(ExtensionContext ec) {
    EmbeddedLabTest a = ec.getRequiredTestClass().getAnnotation(EmbeddedLabTest.class);
    return a == null ? Provider.HOST : a.provider();
  }

  private static ExtensionContext.Store classStore(ExtensionContext ec) {
    ExtensionContext c = ec;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c.getStore(NS);
  }

  /** Stops a test's labs when JUnit closes the test's store. */
  private record Closing(TestLabs labs) implements AutoCloseable {
    @Override
    public void close() {
      labs.close();
    }
  }

  /** The class's lab, its user client, and the labs object that stops it. */
  private record ClassLab(TestLabs labs, EmbeddedLab lab, OpenShiftClient client) implements AutoCloseable {

    static ClassLab start(ExtensionContext ec) {
      Class<?> test = ec.getRequiredTestClass();
      Fault[] faults = test.getAnnotation(EmbeddedLabTest.class).faults();
      TestLabs labs = new TestLabs(test.getSimpleName(), provider(ec));
      try {
        EmbeddedLab lab = labs.start(LabDriver.SETTINGS, faults.length == 0 ? EnumSet.noneOf(Fault.class)
            : EnumSet.copyOf(List.of(faults)));
        return new ClassLab(labs, lab, LabDriver.userClient(lab));
      } catch (IOException e) {
        labs.close();
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        labs.close();
        throw e;
      } catch (Exception e) {
        labs.close();
        throw new IllegalStateException("the class's embedded lab did not start: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      client.close();
      labs.close();
    }
  }
}
