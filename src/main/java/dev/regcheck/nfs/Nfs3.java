package dev.regcheck.nfs;

import dev.regcheck.nfs.RpcConnection.Args;
import dev.regcheck.nfs.RpcConnection.Procedure;
import java.io.IOException;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/**
 * NFS version 3 (RFC 1813): program 100003, the procedures of the write probe. Replies are read up
 * to their last byte; attributes the probe does not use are skipped by their fixed XDR size.
 */
final class Nfs3 {
  static final int PROGRAM = 100003;
  static final int VERSION = 3;
  static final int NFS3_OK = 0;
  static final int NFS3ERR_NOENT = 2;
  /** {@code createmode3} GUARDED: fail with NFS3ERR_EXIST when the name exists. */
  static final int GUARDED = 1;
  /** {@code stable_how} FILE_SYNC: data and metadata on stable storage before the reply. */
  static final int FILE_SYNC = 2;

  static final Procedure LOOKUP = procedure(3, "LOOKUP");
  static final Procedure READ = procedure(6, "READ");
  static final Procedure WRITE = procedure(7, "WRITE");
  static final Procedure CREATE = procedure(8, "CREATE");
  static final Procedure REMOVE = procedure(12, "REMOVE");

  /** fattr3: type, mode, nlink, uid, gid (4 bytes each), size, used (8), rdev (4+4), fsid, fileid (8), atime, mtime, ctime (4+4). */
  private static final int FATTR3_BYTES = 84;
  /** wcc_attr: size (8), mtime (4+4), ctime (4+4). */
  private static final int WCC_ATTR_BYTES = 24;

  private Nfs3() {}

  private static Procedure procedure(int number, String name) {
    return new Procedure(PROGRAM, VERSION, number, "NFS v3 " + name);
  }

  /** The NULL procedure of any NFS version. */
  static Procedure nullProcedure(int version) {
    return new Procedure(PROGRAM, version, 0, "NFS v" + version + " NULL");
  }

  // ------------------------------------------------------------------ arguments

  /** {@code diropargs3 { nfs_fh3 dir; filename3 name; }}: the argument of LOOKUP and REMOVE. */
  static Args dirOp(byte[] dir, String name) {
    return xdr -> encodeDirOp(xdr, dir, name);
  }

  private static void encodeDirOp(XdrEncodingStream xdr, byte[] dir, String name) {
    xdr.xdrEncodeDynamicOpaque(dir);
    xdr.xdrEncodeString(name);
  }

  /**
   * {@code CREATE3args { diropargs3 where; createhow3 how; }} with how GUARDED and a sattr3 that
   * sets only the mode (uid, gid, size unset; atime, mtime DONT_CHANGE).
   */
  static Args createGuarded(byte[] dir, String name, int mode) {
    return xdr -> {
      encodeDirOp(xdr, dir, name);
      xdr.xdrEncodeInt(GUARDED);
      xdr.xdrEncodeBoolean(true);
      xdr.xdrEncodeInt(mode);
      xdr.xdrEncodeBoolean(false);
      xdr.xdrEncodeBoolean(false);
      xdr.xdrEncodeBoolean(false);
      xdr.xdrEncodeInt(0);
      xdr.xdrEncodeInt(0);
    };
  }

  /** {@code WRITE3args { nfs_fh3 file; offset3 offset; count3 count; stable_how stable; opaque data<>; }} at offset 0, FILE_SYNC. */
  static Args writeFileSync(byte[] file, byte[] data) {
    return xdr -> {
      xdr.xdrEncodeDynamicOpaque(file);
      xdr.xdrEncodeLong(0);
      xdr.xdrEncodeInt(data.length);
      xdr.xdrEncodeInt(FILE_SYNC);
      xdr.xdrEncodeDynamicOpaque(data);
    };
  }

  /** {@code READ3args { nfs_fh3 file; offset3 offset; count3 count; }}. */
  static Args read(byte[] file, long offset, int count) {
    return xdr -> {
      xdr.xdrEncodeDynamicOpaque(file);
      xdr.xdrEncodeLong(offset);
      xdr.xdrEncodeInt(count);
    };
  }

  // ------------------------------------------------------------------ results

  /** A status and, when it is NFS3_OK, a file handle (null if the server did not return one). */
  record HandleReply(int status, byte[] handle) {}

  /** WRITE's status and, when NFS3_OK, the count written and how it was committed. */
  record WriteReply(int status, int count, int committed) {}

  /** READ's status and, when NFS3_OK, the data and whether it reached the end of the file. */
  record ReadReply(int status, byte[] data, boolean eof) {}

  /** {@code LOOKUP3res}: OK {@code { nfs_fh3 object; post_op_attr obj_attributes; post_op_attr dir_attributes; }}, else {@code { post_op_attr dir_attributes; }}. */
  static HandleReply readLookup(XdrDecodingStream xdr) throws IOException {
    int status = xdr.xdrDecodeInt();
    byte[] handle = null;
    if (status == NFS3_OK) {
      handle = xdr.xdrDecodeDynamicOpaque();
      skipPostOpAttr(xdr);
    }
    skipPostOpAttr(xdr);
    return new HandleReply(status, handle);
  }

  /** {@code CREATE3res}: OK {@code { post_op_fh3 obj; post_op_attr obj_attributes; wcc_data dir_wcc; }}, else {@code { wcc_data dir_wcc; }}. */
  static HandleReply readCreate(XdrDecodingStream xdr) throws IOException {
    int status = xdr.xdrDecodeInt();
    byte[] handle = null;
    if (status == NFS3_OK) {
      handle = xdr.xdrDecodeBoolean() ? xdr.xdrDecodeDynamicOpaque() : null;
      skipPostOpAttr(xdr);
    }
    skipWccData(xdr);
    return new HandleReply(status, handle);
  }

  /** {@code WRITE3res}: {@code wcc_data file_wcc;} then, OK, {@code count3 count; stable_how committed; writeverf3 verf;}. */
  static WriteReply readWrite(XdrDecodingStream xdr) throws IOException {
    int status = xdr.xdrDecodeInt();
    skipWccData(xdr);
    if (status != NFS3_OK) {
      return new WriteReply(status, 0, 0);
    }
    int count = xdr.xdrDecodeInt();
    int committed = xdr.xdrDecodeInt();
    xdr.xdrDecodeOpaque(8);
    return new WriteReply(status, count, committed);
  }

  /** {@code READ3res}: {@code post_op_attr file_attributes;} then, OK, {@code count3 count; bool eof; opaque data<>;}. */
  static ReadReply readRead(XdrDecodingStream xdr) throws IOException {
    int status = xdr.xdrDecodeInt();
    skipPostOpAttr(xdr);
    if (status != NFS3_OK) {
      return new ReadReply(status, null, false);
    }
    xdr.xdrDecodeInt(); // count, repeated by the opaque's length
    boolean eof = xdr.xdrDecodeBoolean();
    return new ReadReply(status, xdr.xdrDecodeDynamicOpaque(), eof);
  }

  /** {@code REMOVE3res}: the status, then {@code wcc_data dir_wcc} in both arms. */
  static int readRemove(XdrDecodingStream xdr) throws IOException {
    int status = xdr.xdrDecodeInt();
    skipWccData(xdr);
    return status;
  }

  /** {@code post_op_attr}: {@code bool attributes_follow}, then a fattr3 if true. */
  private static void skipPostOpAttr(XdrDecodingStream xdr) throws IOException {
    if (xdr.xdrDecodeBoolean()) {
      xdr.xdrDecodeOpaque(FATTR3_BYTES);
    }
  }

  /** {@code wcc_data { pre_op_attr before; post_op_attr after; }}, pre_op_attr an optional wcc_attr. */
  private static void skipWccData(XdrDecodingStream xdr) throws IOException {
    if (xdr.xdrDecodeBoolean()) {
      xdr.xdrDecodeOpaque(WCC_ATTR_BYTES);
    }
    skipPostOpAttr(xdr);
  }

  // ------------------------------------------------------------------ statuses

  /** The nfsstat3 failures, with their meaning in words. */
  enum Status implements StatusNames.Coded {
    NFS3ERR_PERM(1, "not owner"),
    NFS3ERR_NOENT(2, "no such file or directory"),
    NFS3ERR_IO(5, "I/O error"),
    NFS3ERR_NXIO(6, "no such device or address"),
    NFS3ERR_ACCES(13, "permission denied"),
    NFS3ERR_EXIST(17, "file exists"),
    NFS3ERR_XDEV(18, "cross-device link"),
    NFS3ERR_NODEV(19, "no such device"),
    NFS3ERR_NOTDIR(20, "not a directory"),
    NFS3ERR_ISDIR(21, "is a directory"),
    NFS3ERR_INVAL(22, "invalid argument"),
    NFS3ERR_FBIG(27, "file too large"),
    NFS3ERR_NOSPC(28, "no space left on device"),
    NFS3ERR_ROFS(30, "read-only file system"),
    NFS3ERR_MLINK(31, "too many hard links"),
    NFS3ERR_NAMETOOLONG(63, "file name too long"),
    NFS3ERR_NOTEMPTY(66, "directory not empty"),
    NFS3ERR_DQUOT(69, "disk quota exceeded"),
    NFS3ERR_STALE(70, "stale file handle"),
    NFS3ERR_REMOTE(71, "too many levels of remote in path"),
    NFS3ERR_BADHANDLE(10001, "illegal file handle"),
    NFS3ERR_NOT_SYNC(10002, "update synchronization mismatch"),
    NFS3ERR_BAD_COOKIE(10003, "stale READDIR cookie"),
    NFS3ERR_NOTSUPP(10004, "operation not supported"),
    NFS3ERR_TOOSMALL(10005, "buffer or request too small"),
    NFS3ERR_SERVERFAULT(10006, "server fault"),
    NFS3ERR_BADTYPE(10007, "object type not supported"),
    NFS3ERR_JUKEBOX(10008, "the server is busy, try again later");

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

    /** {@code NFS3ERR_…}; {@code NFS3ERR_<code>} for one RFC 1813 does not define. */
    static String name(int code) {
      return StatusNames.name(Status.class, "NFS3ERR_", code);
    }

    /** The name and the words: {@code NFS3ERR_…, …}. */
    static String describe(int code) {
      return StatusNames.describe(Status.class, "NFS3ERR_", code, "an undefined NFS status");
    }
  }
}
