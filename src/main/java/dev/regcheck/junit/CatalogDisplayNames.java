package dev.regcheck.junit;

import dev.regcheck.catalog.Catalog;
import dev.regcheck.catalog.Lang;
import java.lang.reflect.Method;
import org.junit.jupiter.api.DisplayNameGenerator;

/** Display names read from the catalog: "S04.2 PVC … is Bound …", "S04 Create the PersistentVolumeClaim". */
public final class CatalogDisplayNames implements DisplayNameGenerator {

  @Override
  public String generateDisplayNameForClass(Class<?> testClass) {
    Conformance c = testClass.getAnnotation(Conformance.class);
    return c == null ? testClass.getSimpleName() : c.value().name() + " " + c.value().titleEn() + " / " + c.value().titleZh();
  }

  @Override
  public String generateDisplayNameForNestedClass(Class<?> nestedClass) {
    return nestedClass.getSimpleName();
  }

  @Override
  public String generateDisplayNameForMethod(Class<?> testClass, Method testMethod) {
    Check check = testMethod.getAnnotation(Check.class);
    if (check == null) {
      return testMethod.getName();
    }
    // placeholders stay as <key>: the test name identifies the check; reports fill them from the profile
    return check.value() + " " + Catalog.get(check.value()).title(Lang.EN).replaceAll("\\$\\{(\\w+)}", "<$1>");
  }
}
