package org.adam.sfu.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.forward.TrackForwarder;

/**
 * Reads one pipe's packet counters for an operator. The counters are the media loop's (its down
 * tracks and forwarders write them): the pipe's actor names what to count ({@link #reads}, on
 * the actor's thread), and the loop reads the counters and answers ({@link #answer}).
 */
final class PipeStatsReader {

    private PipeStatsReader() {
    }

    /** One read per track crossing the pipe, out then in; each is to run on the media loop. */
    static List<Supplier<PipeStats.TrackCounters>> reads(String nodeId, OutgoingPipeTracks outgoing,
                                                         IncomingPipeTracks incoming) {
        List<Supplier<PipeStats.TrackCounters>> reads = new ArrayList<>();
        outgoing.forEach((id, out) -> {
            List<DownTrack> layers = out.layers();
            reads.add(() -> new PipeStats.TrackCounters(id, "out", nodeId, sum(layers, DownTrack::packetsSent),
                    sum(layers, DownTrack::bytesSent)));
        });
        incoming.forEach((id, in) -> {
            List<TrackForwarder> layers = in.layers() == null ? List.of() : in.layers();
            String origin = in.info().node();
            reads.add(() -> new PipeStats.TrackCounters(id, "in", origin, sum(layers, TrackForwarder::packetsIn),
                    sum(layers, TrackForwarder::bytesIn)));
        });
        return reads;
    }

    /** On {@code mediaLoop}: runs the reads and hands their counters, made into stats, to {@code replyTo}. */
    static void answer(Executor mediaLoop, List<Supplier<PipeStats.TrackCounters>> reads,
                       Function<List<PipeStats.TrackCounters>, PipeStats> stats, Consumer<PipeStats> replyTo) {
        mediaLoop.execute(() -> {
            List<PipeStats.TrackCounters> counters = new ArrayList<>(reads.size());
            reads.forEach(read -> counters.add(read.get()));
            replyTo.accept(stats.apply(counters));
        });
    }

    static <T> long sum(List<T> layers, ToLongFunction<T> counter) {
        long total = 0;
        for (T layer : layers) {
            total += counter.applyAsLong(layer);
        }
        return total;
    }
}
