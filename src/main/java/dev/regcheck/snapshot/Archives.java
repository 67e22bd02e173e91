package dev.regcheck.snapshot;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a {@code .tar} or {@code .tar.gz} capture into a folder, refusing what could write
 * outside it or fill the disk: members named absolutely or with {@code ..}, links that point out,
 * devices, and members larger than {@value #MEMBER_LIMIT_MIB} MiB or archives larger than
 * {@value #TOTAL_LIMIT_MIB} MiB unpacked. Links that stay inside are not made (nothing reads through them).
 */
final class Archives {
  static final long MEMBER_LIMIT_MIB = 512;
  static final long TOTAL_LIMIT_MIB = 4096;

  private Archives() {}

  static boolean isArchive(Path file) {
    String name = file.getFileName().toString().toLowerCase();
    return name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz");
  }

  /** Unpacks {@code archive} into the empty folder {@code into}. */
  static void unpack(Path archive, Path into) throws CaptureException {
    String name = archive.getFileName().toString().toLowerCase();
    long total = 0;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
        InputStream raw = name.endsWith(".tar") ? file : new GZIPInputStream(file, 64 * 1024);
        TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String member = entry.getName();
        Path target = inside(archive, into, member);
        if (entry.isSymbolicLink() || entry.isLink()) {
          String link = entry.getLinkName();
          Path resolved = entry.isSymbolicLink() ? target.getParent().resolve(link).normalize() : into.resolve(link).normalize();
          if (link.startsWith("/") || !resolved.startsWith(into)) {
            throw new CaptureException(archive + ": member " + member + " links to " + link + ", outside the archive");
          }
          continue;
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        if (!entry.isFile()) {
          throw new CaptureException(archive + ": member " + member + " is not a file or folder (a device or pipe)");
        }
        if (entry.getSize() > MEMBER_LIMIT_MIB << 20) {
          throw new CaptureException(archive + ": member " + member + " is " + (entry.getSize() >> 20)
              + " MiB, more than a capture's file can be (" + MEMBER_LIMIT_MIB + " MiB)");
        }
        total += entry.getSize();
        if (total > TOTAL_LIMIT_MIB << 20) {
          throw new CaptureException(archive + ": unpacks to more than " + TOTAL_LIMIT_MIB + " MiB");
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          tar.transferTo(out);
        }
      }
    } catch (IOException e) {
      throw new CaptureException(archive + ": not a readable " + (name.endsWith(".tar") ? "tar" : "tar.gz")
          + " archive (" + e.getMessage() + ")", e);
    } catch (IllegalArgumentException e) {
      throw new CaptureException(archive + ": not a readable archive (" + e.getMessage() + ")", e);
    }
  }

  private static Path inside(Path archive, Path into, String member) throws CaptureException {
    if (member.startsWith("/") || member.matches("^[A-Za-z]:.*")) {
      throw new CaptureException(archive + ": member " + member + " has an absolute name");
    }
    Path target = into.resolve(member).normalize();
    if (!target.startsWith(into)) {
      throw new CaptureException(archive + ": member " + member + " would be written outside the archive's folder");
    }
    return target;
  }
}
