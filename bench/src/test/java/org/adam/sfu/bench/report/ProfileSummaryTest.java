package org.adam.sfu.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProfileSummaryTest {

    private static final String SEND = "[media-loop-0-1 tid=77];java.lang.Thread.run;"
            + "org.adam.sfu.webrtc.transport.MediaServer.flushAll;io.netty.channel.epoll.Native.sendmmsg;"
            + "__x64_sys_sendmmsg_[k];__sys_sendmmsg_[k];udp_sendmsg_[k];_raw_spin_unlock_irqrestore_[k] 30";
    private static final String SEAL = "[media-loop-0-1 tid=77];java.lang.Thread.run;"
            + "org.adam.sfu.webrtc.forward.DownTrack.forward;org.adam.sfu.webrtc.srtp.OpensslGcm.sealInPlace;"
            + "/usr/lib/x86_64-linux-gnu/libcrypto.so.3 50";
    private static final String COPY = "[media-loop-0-1 tid=77];java.lang.Thread.run;"
            + "org/adam/sfu/webrtc/forward/DownTrack.build;io/netty/buffer/AbstractByteBuf.writeBytes 20";
    private static final String JIT = "[C2 CompilerThread0 tid=12];thread_native_entry;Compile::Compile 100";

    @Test
    void sortsTheMediaLoopIntoStagesAtTheInnermostMatchingFrame() {
        List<ProfileSummary.Sample> samples = List.of(parse(SEND), parse(SEAL), parse(COPY));

        assertThat(ProfileSummary.stageOf(samples.get(0).frames())).startsWith("send syscalls");
        assertThat(ProfileSummary.stageOf(samples.get(1).frames())).startsWith("SRTP in OpenSSL");
        // The allocator's frame is inside DownTrack.build: the buffer work is what it was doing.
        assertThat(ProfileSummary.stageOf(samples.get(2).frames())).startsWith("Netty buffers");
        assertThat(ProfileSummary.stageOf(List.of("java.lang.Thread.run"))).isEqualTo(ProfileSummary.OTHER);
    }

    @Test
    void reportsSharesPerThreadGroupAndPerStage() {
        String report = ProfileSummary.render(List.of(parse(SEND), parse(SEAL), parse(COPY), parse(JIT)), "cmd");

        assertThat(report).contains("Samples: 200", "Command: cmd");
        assertThat(report).containsPattern("50\\.0%\\s+100\\s+CN CompilerThreadN");
        assertThat(report).containsPattern("50\\.0%\\s+100\\s+media-loop-N-N");
        // Of the loop's 100 samples, 50 in libcrypto: 50 % of the loop, 25 % of the node.
        assertThat(report).containsPattern("50\\.0%\\s+25\\.0%\\s+50\\s+SRTP in OpenSSL");
    }

    @Test
    void skipsLinesOfAnyOtherShape() {
        assertThat(ProfileSummary.Sample.parse("not a profile line")).isNull();
        assertThat(ProfileSummary.Sample.parse("[t tid=1];a;b many")).isNull();
        assertThat(ProfileSummary.Sample.parse("[t tid=1] 3").frames()).containsExactly("[unknown]");
        assertThat(parse(COPY).frames()).contains("org.adam.sfu.webrtc.forward.DownTrack.build");
    }

    private static ProfileSummary.Sample parse(String line) {
        return ProfileSummary.Sample.parse(line);
    }
}
