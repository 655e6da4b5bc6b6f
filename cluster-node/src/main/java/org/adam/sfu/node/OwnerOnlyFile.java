package org.adam.sfu.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret the node keeps in its data directory (the operator token, the node's private key):
 * created readable by the owner only, in an owner-only directory, and made owner-only again
 * (with a warning) when it is found readable by others.
 */
final class OwnerOnlyFile {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFile() {
    }

    /** The file's trimmed text, or null when it does not exist or is empty. */
    static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        if (isPosix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            LOG.warn("{} was readable by others than its owner; now it is not", file);
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String text = Files.readString(file).trim();
        return text.isEmpty() ? null : text;
    }

    /** @return false when another process made the file meanwhile */
    static boolean create(Path file, String content) throws IOException {
        Path directory = file.getParent();
        boolean posix = isPosix(directory);
        if (!Files.isDirectory(directory)) {
            if (posix) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } else {
                Files.createDirectories(directory);
            }
        }
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
                File plain = file.toFile();
                plain.setReadable(false, false);
                plain.setWritable(false, false);
                plain.setReadable(true, true);
                plain.setWritable(true, true);
            }
        } catch (FileAlreadyExistsException exists) {
            if (read(file) != null) {
                return false;
            }
            // an empty file left by an interrupted start: fill it
        }
        Files.writeString(file, content + "\n");
        return true;
    }

    private static Path nearestExisting(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }

    private static boolean isPosix(Path path) throws IOException {
        Path existing = nearestExisting(path);
        return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
    }

}
