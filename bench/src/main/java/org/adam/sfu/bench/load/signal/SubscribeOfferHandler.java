package org.adam.sfu.bench.load.signal;

/** Turns the SFU's offer of what a participant receives into the participant's answer. */
@FunctionalInterface
public interface SubscribeOfferHandler {

    /** @return the answer SDP; called on a signalling thread, one offer at a time per session */
    String answer(String offerSdp) throws Exception;
}
