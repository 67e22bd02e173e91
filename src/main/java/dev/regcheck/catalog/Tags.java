package dev.regcheck.catalog;

import java.util.Set;

/** Tag names, in one place (checks.md "Tags"). Tags select checks; they never configure them. */
public final class Tags {
  public static final String CONFORMANCE = "conformance";
  public static final String OPERATOR = "operator";
  public static final String NFS = "nfs";
  public static final String STORAGE = "storage";
  public static final String POD = "pod";
  public static final String SVC = "svc";
  public static final String PUSH = "push";
  public static final String DELETION = "deletion";
  public static final String ROUTE = "route";
  public static final String CERT = "cert";
  public static final String LOGIN = "login";
  public static final String SECURITY = "security";
  public static final String TROUBLESHOOT = "troubleshoot";

  public static final Set<String> ALL = Set.of(
      OPERATOR, NFS, STORAGE, POD, SVC, PUSH, DELETION, ROUTE, CERT, LOGIN, SECURITY, TROUBLESHOOT);

  private Tags() {}
}
