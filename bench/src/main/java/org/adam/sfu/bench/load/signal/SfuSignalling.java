package org.adam.sfu.bench.load.signal;

/**
 * How a simulated participant gets into a call on the SFU under test: everything SFU-specific
 * about signalling is behind this and {@link SfuSession}, so the same clients, media and
 * measurements run against another SFU by adding an implementation (ours:
 * {@link ProtocolV1Signalling}).
 */
public interface SfuSignalling {

    /** A label for the results ({@code ours}, ...). */
    String sfuName();

    /**
     * Joins {@code room} as one participant. Subscribe offers may arrive from then on; they are
     * handed to {@code subscribeOffers}, whose answer goes back to the SFU.
     */
    SfuSession join(String room, String displayName, SubscribeOfferHandler subscribeOffers) throws SignallingException;
}
