package org.adam.sfu.webrtc.srtp;

import java.util.Arrays;

/**
 * The two master keys and salts of a DTLS-SRTP association, split from the exported keying
 * material laid out client key | server key | client salt | server salt (RFC 5764 4.2). The
 * DTLS client sends with the client half.
 */
public record SrtpKeys(SrtpProfile profile, byte[] localMasterKey, byte[] localMasterSalt,
                       byte[] remoteMasterKey, byte[] remoteMasterSalt) {

    public static SrtpKeys fromDtlsExport(SrtpProfile profile, byte[] material, boolean weAreDtlsClient) {
        if (material.length != profile.exportLength()) {
            throw new IllegalArgumentException("expected " + profile.exportLength() + " bytes of keying material");
        }
        int k = profile.keyLength();
        int s = profile.saltLength();
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return weAreDtlsClient
                ? new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }
}
