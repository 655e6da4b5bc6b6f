package org.adam.sfu.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's bearer token when `sfu.admin-token` is not configured: 256 random bits
 * (base64url), made at the node's first start and kept in `<data-dir>/<node-id>/admin-token`,
 * readable by the owner only. It is printed in the log once, when it is made, so whoever started
 * the node can use it; later starts say only where it is.
 */
final class OperatorToken {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorToken.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OperatorToken() {
    }

    static String loadOrCreate(Path dataDir, String nodeId) {
        Path file = dataDir.resolve(nodeId).resolve("admin-token");
        try {
            String kept = read(file);
            if (kept != null) {
                LOG.info("operator token: the one kept in {} (sfu.admin-token is not set)", file);
                return kept;
            }
            String token = newToken();
            if (!create(file, token)) {
                return read(file); // another process made it first
            }
            LOG.info("operator token (made now and printed only this once; kept in {}): {}", file, token);
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("operator token at " + file + " is not usable: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        if (isPosix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            LOG.warn("{} was readable by others than its owner; now it is not", file);
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String token = Files.readString(file).trim();
        return token.isEmpty() ? null : token;
    }

    /** @return false when another process made the file meanwhile */
    private static boolean create(Path file, String token) throws IOException {
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
        Files.writeString(file, token + "\n");
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

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
