package org.adam.sfu.node;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;
import org.adam.sfu.webrtc.transport.MediaCounters;
import org.adam.sfu.webrtc.transport.MediaWorkers;

/**
 * What `/metrics` shows, in Prometheus text format: read from the data plane's counters when
 * scraped, so nothing is added to the packet path beyond the counters it keeps anyway.
 */
final class NodeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    NodeMetrics(String nodeId, MediaWorkers media, Supplier<Integer> participants) {
        registry.config().commonTags("node", nodeId);
        // Heap and GC pauses: what a load run reads beside CPU (jvm_memory_*, jvm_gc_pause_seconds).
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry); // lives as long as the node; never closed
        new JvmThreadMetrics().bindTo(registry); // jvm_threads_live_threads: bounded whatever peers do
        DtlsHandshakePool handshakes = media.handshakes();
        gauge("sfu_dtls_handshakes_running", "DTLS handshakes on a handshake thread now", handshakes::running);
        gauge("sfu_dtls_handshakes_waiting", "DTLS handshakes waiting for a handshake thread", handshakes::waiting);
        FunctionCounter.builder("sfu_dtls_handshakes_refused", handshakes, DtlsHandshakePool::refused)
                .description("DTLS handshakes refused because its threads and queue were all taken").register(registry);
        FunctionCounter.builder("sfu_dtls_handshakes_abandoned", handshakes, DtlsHandshakePool::abandoned)
                .description("DTLS handshakes not finished by their deadline").register(registry);
        MediaCounters c = media.counters();
        gauge("sfu_participants", "Participants connected to this node", participants::get);
        gauge("sfu_transports", "Peer connections and pipes on this node", media::transportCount);
        // The media loops count these each second; reading their forwarders from here would race them.
        gauge("sfu_tracks", "Published tracks forwarded on this node (local and piped in)",
                () -> media.trackTotals().tracks());
        gauge("sfu_track_receivers", "Receivers of all tracks, pipes included",
                () -> media.trackTotals().receivers());
        gauge("sfu_inbound_packets_lost", "Packets lost on publishers' uplinks, streams now forwarded",
                () -> media.trackTotals().packetsLost());
        counter("sfu_rtp_received_packets", "RTP packets received from publishers and pipes", c.rtpReceived);
        counter("sfu_rtp_received_bytes", "RTP bytes received from publishers and pipes", c.rtpReceivedBytes);
        counter("sfu_rtp_forwarded_packets", "RTP packets forwarded to receivers and pipes", c.rtpForwarded);
        counter("sfu_rtp_forwarded_bytes", "RTP bytes forwarded to receivers and pipes", c.rtpForwardedBytes);
        counter("sfu_pipe_bytes_in", "RTP bytes received through pipes from other nodes", c.pipeBytesIn);
        counter("sfu_pipe_bytes_out", "RTP bytes sent through pipes to other nodes", c.pipeBytesOut);
        counter("sfu_keyframe_requests", "PLI/FIR received from receivers", c.keyframeRequests);
        counter("sfu_keyframe_requests_sent", "PLI/FIR sent to publishers (coalesced; receivers waiting to start)",
                c.keyframeRequestsSent);
        counter("sfu_nacks_received", "NACK packets received from receivers", c.nacksReceived);
        counter("sfu_nacks_relayed", "NACKs relayed to publishers for packets the node never got", c.nacksRelayed);
        counter("sfu_uplink_nacks", "NACKs sent to publishers for gaps in what they sent", c.uplinkNacks);
        counter("sfu_retransmitted_packets", "Packets resent to receivers from the retransmission cache",
                c.retransmissions);
        counter("sfu_probe_padding_bytes", "Padding sent to probe receivers' bandwidth", c.paddingBytes);
        counter("sfu_transport_cc_reports", "Transport-cc feedback reports received from receivers",
                c.transportCcReports);
        counter("sfu_layer_switches_down", "Receivers moved down a simulcast layer by their bandwidth",
                c.bandwidthDownswitches);
        counter("sfu_layer_switches_up", "Receivers moved up a simulcast layer by their bandwidth",
                c.bandwidthUpswitches);
        counter("sfu_stun_responses", "ICE connectivity checks answered", c.stunResponses);
        iceTcp(media, c);
        counter("sfu_datagrams_received", "Datagrams read on the media sockets", c.datagramsIn);
        layers(c);
        dropped("unknown_class", c.droppedUnknownClass);
        dropped("stun", c.droppedStun);
        dropped("unknown_sender", c.droppedUnknownSender);
        dropped("srtp", c.droppedSrtp);
        dropped("srtcp", c.droppedSrtcp);
        dropped("not_connected", c.droppedNotConnected);
        dropped("unknown_ssrc", c.droppedUnknownSsrc);
    }

    /** Connected transports by the path their selected pair takes, and the ICE-TCP port's bounds at work. */
    private void iceTcp(MediaWorkers media, MediaCounters c) {
        Gauge.builder("sfu_transports_connected", () -> media.transportPaths().udp())
                .description("Connected peer connections and pipes by transport of their selected ICE pair")
                .tag("transport", "udp").register(registry);
        Gauge.builder("sfu_transports_connected", () -> media.transportPaths().tcp())
                .description("Connected peer connections and pipes by transport of their selected ICE pair")
                .tag("transport", "tcp").register(registry);
        Gauge.builder("sfu_transports_connected", () -> media.transportPaths().relay())
                .description("Connected peer connections and pipes by transport of their selected ICE pair")
                .tag("transport", "relay").register(registry);
        counter("sfu_relay_datagrams_received", "Datagrams of peers that came through the node's own TURN relay",
                c.relayDatagramsIn);
        counter("sfu_relay_datagrams_sent", "Datagrams sent to peers through the node's own TURN relay",
                c.relayDatagramsOut);
        gauge("sfu_ice_tcp_connections", "ICE-TCP connections open", c.tcpConnectionsOpen::sum);
        counter("sfu_ice_tcp_frames_received", "Frames read from ICE-TCP connections", c.tcpFramesIn);
        counter("sfu_ice_tcp_frames_dropped", "Frames not sent because the peer's TCP connection took no more",
                c.tcpFramesDroppedBackpressure);
        for (var reason : java.util.Map.of("over_limit", c.tcpConnectionsRefused, "garbage", c.tcpConnectionsGarbage,
                "unauthenticated", c.tcpConnectionsUnauthenticated).entrySet()) {
            FunctionCounter.builder("sfu_ice_tcp_connections_closed", reason.getValue(), LongAdder::sum)
                    .description("ICE-TCP connections the node closed, by reason").tag("reason", reason.getKey())
                    .register(registry);
        }
    }

    String scrape() {
        return registry.scrape();
    }

    private void gauge(String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).register(registry);
    }

    private void counter(String name, String help, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).register(registry);
    }

    /** Bytes per simulcast layer (0 lowest): `rate()` of these is the bitrate per layer. */
    private void layers(MediaCounters c) {
        for (int layer = 0; layer < c.layerBytesIn.length; layer++) {
            FunctionCounter.builder("sfu_simulcast_layer_received_bytes", c.layerBytesIn[layer], LongAdder::sum)
                    .description("Bytes of simulcast layer received from publishers (0: lowest)")
                    .tag("layer", Integer.toString(layer)).register(registry);
            FunctionCounter.builder("sfu_simulcast_layer_forwarded_bytes", c.layerBytesOut[layer], LongAdder::sum)
                    .description("Bytes of simulcast layer forwarded to receivers (0: lowest)")
                    .tag("layer", Integer.toString(layer)).register(registry);
        }
    }

    private void dropped(String reason, LongAdder adder) {
        FunctionCounter.builder("sfu_datagrams_dropped", adder, LongAdder::sum)
                .description("Datagrams dropped on the media sockets, by reason").tag("reason", reason)
                .register(registry);
    }
}
