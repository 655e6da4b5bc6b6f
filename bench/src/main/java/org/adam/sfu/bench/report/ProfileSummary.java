package org.adam.sfu.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a CPU profile of the node in async-profiler's collapsed form with thread names
 * ({@code [thread tid=N];frame;frame;... samples} per line, root first) and says where the time
 * went: per thread group, then the media loop's samples sorted into the stages of the packet
 * path, then the media loop's hottest innermost frames. A flat list of innermost frames alone
 * scatters one stage (the kernel's send path, say) over dozens of entries.
 *
 * <p>Usage: {@code ProfileSummary <profile.collapsed> [command that made it]}; writes to stdout.
 */
public final class ProfileSummary {

    private static final String MEDIA_LOOP = "media-loop";
    private static final Pattern THREAD_ID = Pattern.compile(" tid=\\d+]$|]$");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final int TOP_FRAMES = 25;

    /**
     * Stages of the media loop, tried on each frame from the innermost outwards; the first frame
     * that matches any of them decides the sample's stage. Order matters only between stages
     * whose markers can share a frame.
     */
    static final List<Stage> STAGES = List.of(
            new Stage("SRTP in OpenSSL's libcrypto (AES-GCM)", "libcrypto", "OpensslGcm", "openssl_gcm"),
            new Stage("SRTP in Java (contexts, headers, AES-CM)", "org.adam.sfu.webrtc.srtp."),
            new Stage("send syscalls (kernel, with delivery over the veth)", "sendmmsg", "sys_sendto", "sys_sendmsg",
                    "Native.sendTo"),
            new Stage("receive syscalls", "recvmsg", "recvmmsg", "recvfrom"),
            new Stage("waiting in epoll", "epoll_wait", "epollWait", "epollBusyWait"),
            new Stage("copy and header rewrite (DownTrack)", "org.adam.sfu.webrtc.forward.DownTrack",
                    "org.adam.sfu.webrtc.forward.LayerSelector", "org.adam.sfu.webrtc.forward.SequenceGate",
                    "org.adam.sfu.webrtc.forward.RtpRewriter", "org.adam.sfu.webrtc.forward.RtxStream",
                    "org.adam.sfu.webrtc.forward.SendStatistics", "org.adam.sfu.webrtc.forward.TransportCcExtension"),
            new Stage("Netty buffers (allocate, release, reference counts)", "io.netty.buffer.", "io.netty.util.internal.RefCnt",
                    "io.netty.util.ReferenceCountUtil", "io.netty.util.Recycler"),
            new Stage("Netty write queue and pipeline", "io.netty.channel.ChannelOutboundBuffer",
                    "io.netty.channel.AbstractChannelHandlerContext.write", "io.netty.channel.DefaultChannelPromise",
                    "io.netty.channel.DefaultMessageSizeEstimator", "io.netty.channel.epoll.NativeDatagramPacketArray"),
            new Stage("other node code (routing, RTCP, ICE, BWE)", "org.adam.sfu."));
    static final String OTHER = "other (JVM, Netty's loop itself)";

    private ProfileSummary() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ProfileSummary <profile.collapsed> [command]");
            System.exit(2);
        }
        System.out.print(render(read(Path.of(args[0])), args.length == 2 ? args[1] : null));
    }

    static String render(List<Sample> samples, String command) {
        long total = samples.stream().mapToLong(Sample::count).sum();
        List<Sample> loop = samples.stream().filter(s -> s.threadGroup().startsWith(MEDIA_LOOP)).toList();
        long loopTotal = loop.stream().mapToLong(Sample::count).sum();
        StringBuilder out = new StringBuilder();
        out.append("CPU profile of the node: async-profiler, cpu event, one sample per millisecond of CPU,\n")
                .append("over the node's whole life (start, joins, warm-up and the measured window).\n");
        if (command != null) {
            out.append("Command: ").append(command).append('\n');
        }
        out.append(String.format(Locale.ROOT, "Samples: %d (about %.1f CPU-seconds)%n%n", total, total / 1000.0));

        out.append("By thread\n");
        table(out, total, -1, tally(samples, Sample::threadGroup, Integer.MAX_VALUE));

        out.append("\nThe media loop by stage (each sample at the innermost stage on its stack)\n");
        table(out, loopTotal, total, tally(loop, s -> stageOf(s.frames()), Integer.MAX_VALUE));

        out.append("\nThe media loop's hottest innermost frames\n");
        table(out, loopTotal, total, tally(loop, s -> s.frames().get(s.frames().size() - 1), TOP_FRAMES));
        return out.toString();
    }

    static String stageOf(List<String> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            String frame = frames.get(i);
            for (Stage stage : STAGES) {
                if (stage.matches(frame)) {
                    return stage.name();
                }
            }
        }
        return OTHER;
    }

    /** Counts per key, the {@code limit} largest, largest first. */
    private static Map<String, Long> tally(List<Sample> samples, Function<Sample, String> key, int limit) {
        Map<String, Long> counts = samples.stream()
                .collect(Collectors.groupingBy(key, Collectors.summingLong(Sample::count)));
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** Rows of share, share of the whole node (when {@code nodeTotal} is not -1), samples, name. */
    private static void table(StringBuilder out, long total, long nodeTotal, Map<String, Long> rows) {
        out.append(nodeTotal < 0 ? "  share  samples  \n" : "  share  of node  samples  \n");
        for (Map.Entry<String, Long> row : rows.entrySet()) {
            long n = row.getValue();
            out.append(String.format(Locale.ROOT, "  %5.1f%%", 100.0 * n / total));
            if (nodeTotal >= 0) {
                out.append(String.format(Locale.ROOT, "   %5.1f%%", 100.0 * n / nodeTotal));
            }
            out.append(String.format(Locale.ROOT, "  %7d  %s%n", n, row.getKey()));
        }
    }

    record Stage(String name, List<String> markers) {
        Stage(String name, String... markers) {
            this(name, List.of(markers));
        }

        boolean matches(String frame) {
            for (String marker : markers) {
                if (frame.contains(marker)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One collapsed line: its thread group (the name with numbers folded), frames root first, count. */
    record Sample(String threadGroup, List<String> frames, long count) {

        static Sample parse(String line) {
            int space = line.lastIndexOf(' ');
            if (space <= 0 || !line.startsWith("[")) {
                return null;
            }
            long count;
            try {
                count = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                return null;
            }
            List<String> frames = new ArrayList<>();
            for (String frame : line.substring(0, space).split(";")) {
                // Java frames come as org/adam/Type.method; native libraries as their path.
                frames.add(frame.startsWith("/") ? frame : frame.replace('/', '.'));
            }
            String thread = frames.remove(0).substring(1);
            thread = DIGITS.matcher(THREAD_ID.matcher(thread).replaceFirst("")).replaceAll("N");
            if (frames.isEmpty()) {
                frames.add("[unknown]");
            }
            return new Sample(thread, List.copyOf(frames), count);
        }
    }

    /** Every sample of a collapsed file; lines of any other shape are skipped. */
    static List<Sample> read(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(Sample::parse).filter(s -> s != null).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
