package dev.regcheck.run;

import dev.regcheck.catalog.CheckDef;
import dev.regcheck.catalog.Tags;
import java.util.Set;

/**
 * What part of the lab a check judges, which is how a failure is filed in the report's categories:
 * a certificate before anything it protects, NFS, what goes through the registry, who logs in,
 * the routes' exposure, and the storage and operator setup.
 */
enum Area {
  TLS("TLS 与信任", "TLS and trust"),
  NFS("NFS 导出", "NFS export"),
  REGISTRY("镜像仓库访问", "Registry access"),
  AUTH("认证", "Authentication"),
  STORAGE("存储与 Operator", "Storage and operator");

  private final String zh;
  private final String en;

  Area(String zh, String en) {
    this.zh = zh;
    this.en = en;
  }

  /** "TLS 与信任 / TLS and trust". */
  String title() {
    return zh + " / " + en;
  }

  /** "TLS and trust". */
  String en() {
    return en;
  }

  static Area of(CheckDef check) {
    Set<String> t = check.tags();
    if (t.contains(Tags.CERT)) {
      return TLS;
    }
    if (t.contains(Tags.NFS)) {
      return NFS;
    }
    if (t.contains(Tags.PUSH) || t.contains(Tags.SVC) || t.contains(Tags.DELETION)) {
      return REGISTRY;
    }
    if (t.contains(Tags.LOGIN)) {
      return AUTH;
    }
    return t.contains(Tags.ROUTE) ? TLS : STORAGE;
  }
}
