package org.adam.sfu.it;

/**
 * How a {@link NatRouter} maps its clients' UDP and TCP flows to its outside address (RFC 4787
 * terms), as nftables' masquerade statement does it.
 */
public enum NatType {

    /**
     * Endpoint-independent mapping: plain masquerade keeps the client's source port when it is
     * free, so every destination sees one mapping (a STUN server's answer is valid towards all
     * peers). Filtering stays address-and-port dependent (conntrack lets in only replies).
     */
    ENDPOINT_INDEPENDENT("masquerade"),

    /**
     * Address-and-port-dependent ("symmetric") mapping: each new flow gets a random source port,
     * so a server-reflexive candidate learnt from one server is useless towards any other peer;
     * only a TURN relay gets through.
     */
    SYMMETRIC("masquerade fully-random");

    private final String statement;

    NatType(String statement) {
        this.statement = statement;
    }

    /** The nftables statement of the router's postrouting rule. */
    String statement() {
        return statement;
    }
}
