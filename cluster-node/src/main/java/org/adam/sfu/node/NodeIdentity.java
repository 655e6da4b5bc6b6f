package org.adam.sfu.node;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.adam.sfu.signal.auth.DidKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The node's own Ed25519 identity, as a `did:key`: what `sfu-announce` carries and what a
 * neighbourhood's policy names (`designatedPeer`, `sfuPeers`). Generated once and kept in the
 * node's data directory, readable by its owner only, so the DID outlives restarts.
 */
final class NodeIdentity {

    private final String did;

    private NodeIdentity(String did) {
        this.did = did;
    }

    static NodeIdentity loadOrCreate(Path dataDir, String nodeId) {
        Path file = dataDir.resolve(nodeId).resolve("identity.key");
        try {
            String kept = OwnerOnlyFile.read(file);
            Ed25519PrivateKeyParameters key;
            if (kept != null) {
                key = new Ed25519PrivateKeyParameters(HexFormat.of().parseHex(kept), 0);
            } else {
                key = new Ed25519PrivateKeyParameters(new SecureRandom());
                if (!OwnerOnlyFile.create(file, HexFormat.of().formatHex(key.getEncoded()))) {
                    return loadOrCreate(dataDir, nodeId); // another process made it first
                }
            }
            return new NodeIdentity(DidKey.fromPublicKey(key.generatePublicKey().getEncoded()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("node identity at " + file + " is not usable: " + e.getMessage(), e);
        }
    }

    String did() {
        return did;
    }
}
