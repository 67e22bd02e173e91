package dev.regcheck.catalog;

import java.util.Locale;

/** The two languages every title and remediation exists in. */
public enum Lang {
  ZH, EN;

  public static Lang of(String code) {
    return switch (code.toLowerCase(Locale.ROOT)) {
      case "zh" -> ZH;
      case "en" -> EN;
      default -> throw new IllegalArgumentException("expected zh or en, got '" + code + "'");
    };
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
