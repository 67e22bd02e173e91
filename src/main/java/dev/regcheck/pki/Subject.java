package dev.regcheck.pki;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * A distinguished name in openssl's {@code -subj} form, {@code /C=CN/ST=Shanghai/O=Company/CN=x},
 * kept in the order written (that is the order in the certificate). {@code \} escapes the next
 * character ({@code \/} is a slash inside a value). Values are encoded as openssl does by
 * default: PrintableString for C, IA5String for emailAddress, UTF8String otherwise.
 */
public final class Subject {
  /** The attributes openssl's -subj knows by short name and a certificate uses in practice. */
  private static final Map<String, ASN1ObjectIdentifier> ATTRIBUTES = new LinkedHashMap<>();

  static {
    ATTRIBUTES.put("C", BCStyle.C);
    ATTRIBUTES.put("ST", BCStyle.ST);
    ATTRIBUTES.put("L", BCStyle.L);
    ATTRIBUTES.put("O", BCStyle.O);
    ATTRIBUTES.put("OU", BCStyle.OU);
    ATTRIBUTES.put("CN", BCStyle.CN);
    ATTRIBUTES.put("emailAddress", BCStyle.EmailAddress);
    ATTRIBUTES.put("serialNumber", BCStyle.SERIALNUMBER);
    ATTRIBUTES.put("street", BCStyle.STREET);
    ATTRIBUTES.put("title", BCStyle.T);
    ATTRIBUTES.put("SN", BCStyle.SURNAME);
    ATTRIBUTES.put("GN", BCStyle.GIVENNAME);
    ATTRIBUTES.put("DC", BCStyle.DC);
    ATTRIBUTES.put("UID", BCStyle.UID);
  }

  private final X500Name name;

  private Subject(X500Name name) {
    this.name = name;
  }

  /** A subject of just a common name ({@code /CN=...}). */
  public static Subject cn(String commonName) {
    if (commonName == null || commonName.isEmpty()) {
      throw new IllegalArgumentException("subject: the common name is empty");
    }
    return new Subject(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build());
  }

  public static Subject of(X500Name name) {
    return new Subject(name);
  }

  public static Subject of(X500Principal principal) {
    return new Subject(X500Name.getInstance(principal.getEncoded()));
  }

  /**
   * Parses the {@code -subj} form. Errors are one line naming the problem: a missing leading
   * slash, an attribute openssl would not know ({@code unknown attribute 'XX'}), an empty value.
   */
  public static Subject parse(String subj) {
    if (subj == null || !subj.startsWith("/")) {
      throw new IllegalArgumentException("subject '" + subj + "': must start with '/' (openssl -subj form /C=CN/O=Company/CN=name)");
    }
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    List<String> parts = split(subj.substring(1));
    int count = 0;
    for (String raw : parts) {
      if (raw.isEmpty() && parts.size() == 1) {
        break;
      }
      int eq = unescapedEquals(raw);
      if (eq < 0) {
        throw new IllegalArgumentException("subject '" + subj + "': '" + unescape(raw) + "' is not attribute=value");
      }
      String key = unescape(raw.substring(0, eq)).trim();
      String value = unescape(raw.substring(eq + 1));
      ASN1ObjectIdentifier oid = attribute(key);
      if (oid == null) {
        throw new IllegalArgumentException("subject '" + subj + "': unknown attribute '" + key + "' (known: "
            + String.join(", ", ATTRIBUTES.keySet()) + ")");
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("subject '" + subj + "': attribute " + key + " has no value");
      }
      if (oid.equals(BCStyle.C) && !value.matches("[A-Za-z]{2}")) {
        throw new IllegalArgumentException("subject '" + subj + "': C must be a two-letter country code, not '" + value + "'");
      }
      builder.addRDN(oid, value);
      count++;
    }
    if (count == 0) {
      throw new IllegalArgumentException("subject '" + subj + "': names no attribute");
    }
    return new Subject(builder.build());
  }

  private static ASN1ObjectIdentifier attribute(String key) {
    for (Map.Entry<String, ASN1ObjectIdentifier> e : ATTRIBUTES.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Splits on slashes not preceded by a backslash, keeping escapes for later. */
  private static List<String> split(String s) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        current.append(c).append(s.charAt(++i));
      } else if (c == '/') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  private static int unescapedEquals(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\') {
        i++;
      } else if (s.charAt(i) == '=') {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        c = s.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  public X500Name x500Name() {
    return name;
  }

  /** The (last) CN value, or null. */
  public String commonName() {
    RDN[] cns = name.getRDNs(BCStyle.CN);
    return cns.length == 0 ? null : value(cns[cns.length - 1].getFirst());
  }

  /** The {@code -subj} form, {@code /} and {@code \} in values escaped. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        sb.append('/').append(shortName(atv.getType())).append('=')
            .append(value(atv).replace("\\", "\\\\").replace("/", "\\/"));
      }
    }
    return sb.toString();
  }

  private static String shortName(ASN1ObjectIdentifier oid) {
    for (Map.Entry<String, ASN1ObjectIdentifier> e : ATTRIBUTES.entrySet()) {
      if (e.getValue().equals(oid)) {
        return e.getKey();
      }
    }
    return oid.getId();
  }

  private static String value(AttributeTypeAndValue atv) {
    return atv.getValue() instanceof ASN1String s ? s.getString() : atv.getValue().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subject other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }
}
