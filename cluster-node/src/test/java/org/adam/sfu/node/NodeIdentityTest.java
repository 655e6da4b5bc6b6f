package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

    @TempDir
    Path dataDir;

    @Test
    void thePrivateKeyIsOwnerOnlyAndTheDidOutlivesARestart() throws Exception {
        String did = NodeIdentity.loadOrCreate(dataDir, "n1").did();
        Path key = dataDir.resolve("n1").resolve("identity.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(NodeIdentity.loadOrCreate(dataDir, "n1").did()).isEqualTo(did).startsWith("did:key:z6Mk");
    }

    @Test
    void aKeyFileOthersCanReadIsMadeOwnerOnly() throws Exception {
        String did = NodeIdentity.loadOrCreate(dataDir, "n1").did();
        Path key = dataDir.resolve("n1").resolve("identity.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(NodeIdentity.loadOrCreate(dataDir, "n1").did()).isEqualTo(did);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }
}
