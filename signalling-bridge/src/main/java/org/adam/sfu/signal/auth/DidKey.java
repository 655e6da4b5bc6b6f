package org.adam.sfu.signal.auth;

import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 `did:key` (did:key:z6Mk...): multibase base58btc of the multicodec prefix
 * 0xed 0x01 followed by the 32-byte public key.
 */
public final class DidKey {

    private static final String PREFIX = "did:key:z";
    /** The base58 digits of 0xed 0x01 and a 32-byte key are 47; one spare, and nothing longer is decoded. */
    private static final int MAX_KEY_DIGITS = 48;
    /** The longest text {@link #parse} looks at. */
    public static final int MAX_LENGTH = PREFIX.length() + MAX_KEY_DIGITS;
    private static final byte ED25519_CODEC_0 = (byte) 0xed;
    private static final byte ED25519_CODEC_1 = (byte) 0x01;

    private final String did;
    private final Ed25519PublicKeyParameters publicKey;

    private DidKey(String did, Ed25519PublicKeyParameters publicKey) {
        this.did = did;
        this.publicKey = publicKey;
    }

    /**
     * Checks the length before anything else: a client's DID reaches this before any signature
     * is verified.
     *
     * @throws IllegalArgumentException when {@code did} is not an Ed25519 did:key
     */
    public static DidKey parse(String did) {
        if (did != null && did.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("did too long for an Ed25519 did:key (" + did.length()
                    + " characters, at most " + MAX_LENGTH + ")");
        }
        if (did == null || !did.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a did:key with base58btc multibase");
        }
        byte[] decoded = Base58.decode(did.substring(PREFIX.length()));
        if (decoded.length != 34 || decoded[0] != ED25519_CODEC_0 || decoded[1] != ED25519_CODEC_1) {
            throw new IllegalArgumentException("did:key does not name an Ed25519 public key");
        }
        return new DidKey(did, new Ed25519PublicKeyParameters(Arrays.copyOfRange(decoded, 2, 34), 0));
    }

    public static String fromPublicKey(byte[] rawKey) {
        byte[] prefixed = new byte[rawKey.length + 2];
        prefixed[0] = ED25519_CODEC_0;
        prefixed[1] = ED25519_CODEC_1;
        System.arraycopy(rawKey, 0, prefixed, 2, rawKey.length);
        return PREFIX + Base58.encode(prefixed);
    }

    public boolean verify(byte[] message, byte[] signature) {
        if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    public String did() {
        return did;
    }
}
