package dev.regcheck.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** openssl's -subj form: parsed in order, escapes kept, errors in one line naming the problem. */
class SubjectTest {

  @Test
  @DisplayName("the document's -subj keeps its order C, ST, L, O, OU, CN and renders back unchanged")
  void documentSubject() {
    Subject s = Subject.parse(LeafProfile.DOCUMENT_SUBJECT);
    assertThat(Arrays.stream(s.x500Name().getRDNs()).map(r -> r.getFirst().getType()))
        .containsExactly(BCStyle.C, BCStyle.ST, BCStyle.L, BCStyle.O, BCStyle.OU, BCStyle.CN);
    assertThat(s.toString()).isEqualTo(LeafProfile.DOCUMENT_SUBJECT);
    assertThat(s.commonName()).isEqualTo("xiaohui.cn");
    assertThat(Subject.parse(s.toString())).isEqualTo(s);
  }

  @Test
  @DisplayName("values are encoded as openssl does: C PrintableString, the others UTF8String")
  void encodings() {
    Subject s = Subject.parse("/C=CN/O=公司");
    ASN1Encodable c = s.x500Name().getRDNs(BCStyle.C)[0].getFirst().getValue();
    ASN1Encodable o = s.x500Name().getRDNs(BCStyle.O)[0].getFirst().getValue();
    assertThat(c).isInstanceOf(DERPrintableString.class);
    assertThat(o).isInstanceOf(DERUTF8String.class);
    assertThat(s.toString()).isEqualTo("/C=CN/O=公司");
  }

  @Test
  @DisplayName("\\/ is a slash inside a value, and is escaped again when rendered")
  void escapedSlash() {
    Subject s = Subject.parse("/O=Sales\\/Marketing/CN=x");
    RDN o = s.x500Name().getRDNs(BCStyle.O)[0];
    assertThat(o.getFirst().getValue().toString()).isEqualTo("Sales/Marketing");
    assertThat(s.toString()).isEqualTo("/O=Sales\\/Marketing/CN=x");
  }

  @Test
  @DisplayName("an unknown attribute, a missing slash, an empty value, a bad country: one line each")
  void errors() {
    assertThatThrownBy(() -> Subject.parse("/XX=1/CN=x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("subject '/XX=1/CN=x': unknown attribute 'XX' (known: C, ST, L, O, OU, CN,")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> Subject.parse("CN=x"))
        .hasMessage("subject 'CN=x': must start with '/' (openssl -subj form /C=CN/O=Company/CN=name)");
    assertThatThrownBy(() -> Subject.parse("/C=CN/CN=")).hasMessage("subject '/C=CN/CN=': attribute CN has no value");
    assertThatThrownBy(() -> Subject.parse("/C=China")).hasMessage("subject '/C=China': C must be a two-letter country code, not 'China'");
    assertThatThrownBy(() -> Subject.parse("/CN")).hasMessage("subject '/CN': 'CN' is not attribute=value");
    assertThatThrownBy(() -> Subject.parse("/")).hasMessage("subject '/': names no attribute");
  }
}
