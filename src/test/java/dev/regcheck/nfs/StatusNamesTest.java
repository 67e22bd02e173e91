package dev.regcheck.nfs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatusNamesTest {

  @Test
  @DisplayName("RFC 1813 statuses read as name and words; an undefined code keeps its number")
  void namesAndWords() {
    assertThat(Nfs3.Status.describe(30)).isEqualTo("NFS3ERR_ROFS, read-only file system");
    assertThat(Mount3.Status.describe(13)).isEqualTo("MNT3ERR_ACCES, permission denied");
    assertThat(Nfs3.Status.name(12345)).isEqualTo("NFS3ERR_12345");
    assertThat(Mount3.Status.describe(4242)).isEqualTo("MNT3ERR_4242, an undefined mount status");
  }
}
