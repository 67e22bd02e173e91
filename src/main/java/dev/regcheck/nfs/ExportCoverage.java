package dev.regcheck.nfs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Arrays;

/**
 * Whether an export's client group (as the MOUNT export list names it, {@code showmount -e})
 * covers the cluster's nodes: {@code *} covers everyone; otherwise a group covers a node when it
 * is the node's name or one of its addresses, a network ({@code 10.0.0.0/8},
 * {@code 10.0.0.0/255.0.0.0}) holding one of its addresses, or a wildcard host pattern
 * ({@code *.cluster1.example.com}, {@code master?}) matching its name. Netgroups ({@code @name})
 * cannot be resolved from here and cover nothing.
 */
public final class ExportCoverage {
  private ExportCoverage() {}

  /** True when {@code export} offers every node (name → addresses) some group that covers it. */
  public static boolean coversAll(Export export, Map<String, List<String>> nodes) {
    if (export.forAllHosts()) {
      return true;
    }
    return !nodes.isEmpty() && nodes.entrySet().stream().allMatch(node ->
        export.groups().stream().anyMatch(g -> covers(g, node.getKey(), node.getValue())));
  }

  /** True when {@code group} lets the node with this name and these addresses mount. */
  public static boolean covers(String group, String nodeName, List<String> addresses) {
    String g = group.strip();
    if (g.equals("*")) {
      return true;
    }
    if (g.isEmpty() || g.startsWith("@")) {
      return false;
    }
    if (g.contains("/")) {
      return addresses.stream().anyMatch(a -> inNetwork(g, a));
    }
    if (g.contains("*") || g.contains("?")) {
      return wildcard(g).matcher(nodeName.toLowerCase(Locale.ROOT)).matches();
    }
    return g.equalsIgnoreCase(nodeName) || addresses.stream().anyMatch(a -> sameAddress(g, a));
  }

  private static Pattern wildcard(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString());
  }

  private static boolean sameAddress(String a, String b) {
    byte[] x = literal(a);
    byte[] y = literal(b);
    return x != null && y != null && Arrays.equals(x, y);
  }

  /** {@code net/prefix} or {@code net/mask}, IPv4 or IPv6. */
  static boolean inNetwork(String network, String address) {
    String[] parts = network.split("/", 2);
    byte[] net = literal(parts[0]);
    byte[] addr = literal(address);
    if (net == null || addr == null || net.length != addr.length) {
      return false;
    }
    byte[] mask = new byte[net.length];
    if (parts[1].matches("\\d{1,3}")) {
      int bits = Integer.parseInt(parts[1]);
      if (bits > net.length * 8) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        mask[i / 8] |= (byte) (0x80 >>> (i % 8));
      }
    } else {
      byte[] m = literal(parts[1]);
      if (m == null || m.length != net.length) {
        return false;
      }
      mask = m;
    }
    for (int i = 0; i < net.length; i++) {
      if ((net[i] & mask[i]) != (addr[i] & mask[i])) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of an IP address literal; null for anything else (never a DNS lookup). */
  private static byte[] literal(String s) {
    String t = s.strip();
    boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
