package dev.ringback.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The embedded PostgreSQL's password: generated at the first start, kept in a file only its
 * owner can read, written so that a crash leaves either no file or the whole password.
 */
final class EmbeddedPassword {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private EmbeddedPassword() {}

  /** The password in {@code file}, or a new one (256 random bits) written there first. */
  static String readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      if (posix()) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
      List<String> lines = Files.readAllLines(file);
      if (lines.isEmpty() || lines.get(0).isEmpty()) {
        throw new IllegalStateException(file + " holds no password; restore it from a backup");
      }
      return lines.get(0);
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    writeAtomically(file, password + "\n");
    return password;
  }

  /** Replaces {@code file} by {@code content} in one step, readable by its owner only, on disk before this returns. */
  static void writeAtomically(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    FileAttribute<?>[] ownerOnly = posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(temporary,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
      channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (posix()) {
      // The rename itself reaches the disk only with its directory.
      try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        directory.force(true);
      }
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
