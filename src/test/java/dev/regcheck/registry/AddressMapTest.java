package dev.regcheck.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AddressMapTest {

  @Test
  @DisplayName("host:port entries win over host entries; other ports of a host-only entry use that entry")
  void exactThenHost() {
    AddressMap map = AddressMap.of(Map.of("svc.example:5000", "127.0.0.1:40000", "Route.Example", "127.0.0.2:40443"));

    assertThat(map.target("svc.example", 5000)).contains(new InetSocketAddress("127.0.0.1", 40000));
    assertThat(map.target("svc.example", 443)).isEmpty();
    assertThat(map.target("route.example", 443)).contains(new InetSocketAddress("127.0.0.2", 40443));
    assertThat(map.target("ROUTE.example", 8443)).contains(new InetSocketAddress("127.0.0.2", 40443));
    assertThat(map.describe("svc.example", 5000)).isEqualTo("connecting to 127.0.0.1:40000");
    assertThat(map.describe("other.example", 5000)).isEqualTo("address from system DNS");
  }

  @Test
  @DisplayName("an entry without a port maps the host only, as a hosts file does: the URL's port is kept")
  void addressOnly() {
    AddressMap map = AddressMap.of(Map.of("svc.example", "127.0.0.3", "svc.example:5000", "127.0.0.1:40000"));

    assertThat(map.target("svc.example", 5000)).contains(new InetSocketAddress("127.0.0.1", 40000));
    assertThat(map.target("svc.example", 35091)).contains(new InetSocketAddress("127.0.0.3", 35091));
  }

  @Test
  @DisplayName("a wildcard *.apps entry maps every name one label below it, as DNS does; the name's own entry wins")
  void wildcard() {
    AddressMap map = AddressMap.of(Map.of("*.apps.example", "127.0.0.1:40443", "oauth.apps.example", "127.0.0.4"))
        .plus(AddressMap.of(Map.of("*.apps.example", "127.0.0.9:1")));

    assertThat(map.target("registry.apps.example", 443)).contains(new InetSocketAddress("127.0.0.1", 40443));
    assertThat(map.target("oauth.apps.example", 443)).contains(new InetSocketAddress("127.0.0.4", 443));
    assertThat(map.target("a.b.apps.example", 443)).isEmpty();
    assertThat(map.target("apps.example", 443)).isEmpty();
    assertThat(map.describe("registry.apps.example", 443)).isEqualTo("connecting to 127.0.0.1:40443");
  }

  @Test
  @DisplayName("a bad entry is refused with one message naming it")
  void badEntries() {
    assertThatThrownBy(() -> AddressMap.of(Map.of("svc:5000", "localhost:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("address map entry \"svc:5000\" -> \"localhost:1\" is invalid: the target must be <ip> or <ip>:<port>, e.g. 127.0.0.1 or 127.0.0.1:5000");
    assertThatThrownBy(() -> AddressMap.of(Map.of("svc:5000", "127.0.0.1:")))
        .hasMessageContaining("\"svc:5000\" -> \"127.0.0.1:\"");
    assertThatThrownBy(() -> AddressMap.of(Map.of("svc:99999", "127.0.0.1:1")))
        .hasMessageContaining("the key must be host, host:port or a wildcard");
    assertThatThrownBy(() -> AddressMap.of(Map.of("https://svc", "127.0.0.1:1")))
        .hasMessageContaining("\"https://svc\"");
    assertThatThrownBy(() -> AddressMap.of(Map.of("svc", "127.0.0.1:0")))
        .hasMessageContaining("<ip>:<port>");
  }

  @Test
  @DisplayName("the resolver keeps the logical name; the socket connects to the mapped port")
  void dnsAndSocketRewrite() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AddressMap map = AddressMap.of(Map.of("svc.example:5000", "127.0.0.1:" + server.getLocalPort()));
      InetAddress resolved = map.dns().lookup("svc.example").get(0);
      assertThat(resolved.getHostName()).isEqualTo("svc.example");
      assertThat(resolved.getHostAddress()).isEqualTo("127.0.0.1");

      try (Socket client = map.socketFactory().createSocket()) {
        client.connect(new InetSocketAddress(resolved, 5000), 2000);
        try (Socket accepted = server.accept()) {
          assertThat(client.getPort()).isEqualTo(server.getLocalPort());
          assertThat(accepted.getLocalPort()).isEqualTo(server.getLocalPort());
        }
      }
    }
  }
}
