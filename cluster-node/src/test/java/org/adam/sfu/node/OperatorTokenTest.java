package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokenTest {

    @TempDir
    Path dataDir;

    @Test
    void madeOnceOwnerOnlyAndKept() throws Exception {
        String token = OperatorToken.loadOrCreate(dataDir, "n1");
        assertThat(token).matches("[A-Za-z0-9_-]{43}"); // 256 bits, base64url without padding
        Path file = dataDir.resolve("n1").resolve("admin-token");
        assertThat(Files.readString(file).trim()).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(OperatorToken.loadOrCreate(dataDir, "n1")).isEqualTo(token);
        assertThat(OperatorToken.loadOrCreate(dataDir, "n2")).isNotEqualTo(token);
    }

    @Test
    void aTokenFileOthersCanReadIsMadeOwnerOnly() throws Exception {
        Path file = dataDir.resolve("n1").resolve("admin-token");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "kept-token\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(OperatorToken.loadOrCreate(dataDir, "n1")).isEqualTo("kept-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void anEmptyTokenFileGetsANewToken() throws Exception {
        Path file = dataDir.resolve("n1").resolve("admin-token");
        Files.createDirectories(file.getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String token = OperatorToken.loadOrCreate(dataDir, "n1");
        assertThat(token).hasSize(43);
        assertThat(Files.readString(file).trim()).isEqualTo(token);
    }
}
