package org.adam.sfu.webrtc;

import java.util.HexFormat;

/** Hex helpers for test vectors written as in the RFCs (spaces and line breaks allowed). */
public final class Hex {

    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
