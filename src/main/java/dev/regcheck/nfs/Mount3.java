package dev.regcheck.nfs;

import dev.regcheck.nfs.RpcConnection.Args;
import dev.regcheck.nfs.RpcConnection.Procedure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;

/** The MOUNT protocol version 3 (RFC 1813 appendix I): program 100005, the procedures the probes call. */
final class Mount3 {
  static final int PROGRAM = 100005;
  static final int VERSION = 3;
  static final int MNT3_OK = 0;

  static final Procedure MNT = new Procedure(PROGRAM, VERSION, 1, "MOUNT v3 MNT");
  static final Procedure UMNT = new Procedure(PROGRAM, VERSION, 3, "MOUNT v3 UMNT");
  static final Procedure EXPORT = new Procedure(PROGRAM, VERSION, 5, "MOUNT v3 EXPORT");

  private Mount3() {}

  /** The argument of MNT and UMNT: {@code dirpath = string<MNTPATHLEN>}. */
  static Args dirPath(String path) {
    return xdr -> xdr.xdrEncodeString(path);
  }

  /** MNT's result, the handle and flavors present when the status is MNT3_OK. */
  record MountReply(int status, byte[] handle, int[] authFlavors) {}

  /** {@code mountres3: switch (mountstat3) { case MNT3_OK: { fhandle3 fhandle; int auth_flavors<>; } default: void; }} */
  static MountReply readMount(XdrDecodingStream xdr) throws IOException {
    int status = xdr.xdrDecodeInt();
    if (status != MNT3_OK) {
      return new MountReply(status, null, null);
    }
    return new MountReply(status, xdr.xdrDecodeDynamicOpaque(), xdr.xdrDecodeIntVector());
  }

  /**
   * EXPORT's result: {@code exports = *exportnode; exportnode { dirpath ex_dir; groups ex_groups;
   * exports ex_next; }; groups = *groupnode; groupnode { name gr_name; groups gr_next; }}.
   */
  static List<Export> readExports(XdrDecodingStream xdr) throws IOException {
    List<Export> exports = new ArrayList<>();
    while (xdr.xdrDecodeBoolean()) {
      String path = xdr.xdrDecodeString();
      List<String> groups = new ArrayList<>();
      while (xdr.xdrDecodeBoolean()) {
        groups.add(xdr.xdrDecodeString());
      }
      exports.add(new Export(path, groups));
    }
    return List.copyOf(exports);
  }

  /** The mountstat3 failures, with their meaning in words. */
  enum Status implements StatusNames.Coded {
    MNT3ERR_PERM(1, "not owner"),
    MNT3ERR_NOENT(2, "no such file or directory"),
    MNT3ERR_IO(5, "I/O error"),
    MNT3ERR_ACCES(13, "permission denied"),
    MNT3ERR_NOTDIR(20, "not a directory"),
    MNT3ERR_INVAL(22, "invalid argument"),
    MNT3ERR_NAMETOOLONG(63, "path name too long"),
    MNT3ERR_NOTSUPP(10004, "operation not supported"),
    MNT3ERR_SERVERFAULT(10006, "server fault");

    private final int code;
    private final String words;

    Status(int code, String words) {
      this.code = code;
      this.words = words;
    }

    @Override
    public int code() {
      return code;
    }

    @Override
    public String words() {
      return words;
    }

    /** {@code MNT3ERR_…}; {@code MNT3ERR_<code>} for one RFC 1813 does not define. */
    static String name(int code) {
      return StatusNames.name(Status.class, "MNT3ERR_", code);
    }

    /** The name and the words: {@code MNT3ERR_…, …}. */
    static String describe(int code) {
      return StatusNames.describe(Status.class, "MNT3ERR_", code, "an undefined mount status");
    }
  }
}
