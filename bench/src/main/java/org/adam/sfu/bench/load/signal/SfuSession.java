package org.adam.sfu.bench.load.signal;

import java.util.Map;
import java.util.function.Consumer;

/** One participant's signalling with the SFU, from join to leave. */
public interface SfuSession extends AutoCloseable {

    /** Sends the client's publish offer; returns the SFU's answer SDP. */
    String publish(String offerSdp) throws SignallingException;

    /** Asks for the {@code high}, {@code medium}, {@code low} (or {@code auto}) simulcast layer of every track. */
    void setQuality(String quality) throws SignallingException;

    /**
     * Called with which of this publisher's simulcast layers anyone receives (by rid), whenever
     * the SFU says; SFUs that do not say never call it.
     */
    void onPublishLayers(Consumer<Map<String, Boolean>> listener);

    /** Leaves the call and closes the signalling connection. */
    @Override
    void close();
}
