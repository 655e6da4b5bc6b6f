package org.adam.sfu.it;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import org.adam.sfu.signal.auth.DidKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 did:key identity that signs like an ADAM agent (base64url without padding). */
record TestAgent(Ed25519PrivateKeyParameters key, String did) {

    static TestAgent create() {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
        return new TestAgent(key, DidKey.fromPublicKey(key.generatePublicKey().getEncoded()));
    }

    String sign(String text) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        signer.update(bytes, 0, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.generateSignature());
    }
}
