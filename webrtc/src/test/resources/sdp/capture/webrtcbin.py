#!/usr/bin/python3
"""Makes a publish offer with GStreamer's webrtcbin, for the SDP corpus and the round trip.

    webrtcbin.py CASE [--offer FILE] [--gathered FILE] [--answer-cmd CMD]

Prints the offer webrtcbin creates (or writes it to --offer FILE). --gathered FILE also writes
the local description once ICE gathering is complete (candidates in the SDP, non-trickle).
With --answer-cmd, the offer is piped to CMD, whose output is applied with
set-remote-description; the result is printed as one line `PASS|FAIL|REFUSED webrtcbin-CASE: detail`
(REFUSED: CMD exited with 2, the node's refusal).

Needs Debian's python3-gst-1.0, gir1.2-gst-plugins-bad-1.0, gstreamer1.0-plugins-bad,
-good, -base and gstreamer1.0-nice, and runs with /usr/bin/python3. Run it in a network
namespace with only lo up so it reaches nothing and the SDP names no address of the machine.
"""
import argparse
import subprocess
import sys
import time

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstWebRTC', '1.0')
gi.require_version('GstSdp', '1.0')
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

Direction = GstWebRTC.WebRTCRTPTransceiverDirection
Policy = GstWebRTC.WebRTCBundlePolicy

AUDIO = ('audiotestsrc is-live=true wave=silence ! audioconvert ! audioresample ! opusenc ! '
         'rtpopuspay pt=111 ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! queue')
VIDEO = ('videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=15/1 ! videoconvert ! '
         'vp8enc deadline=1 keyframe-max-dist=3000 ! rtpvp8pay pt=96 ! '
         'application/x-rtp,media=video,encoding-name=VP8,payload=96 ! queue')
RECV_AUDIO = 'application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000'
RECV_VIDEO = 'application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000'

# case -> (bundle policy, what it sends, recvonly transceivers, data channel)
# webrtcbin writes a=ssrc for a sending m-line only once its payloader has negotiated caps (with
# the ssrc) on webrtcbin's sink pad; the offers wait for that, except `no-ssrc`, whose sources
# are held back so that its offer has none (as happens when an application offers at once).
CASES = {
    'no-ssrc': (Policy.MAX_BUNDLE, [AUDIO, VIDEO], [], False),
    'balanced': (Policy.BALANCED, [AUDIO, VIDEO], [], False),
    'max-compat': (Policy.MAX_COMPAT, [AUDIO, VIDEO], [], False),
    'max-bundle': (Policy.MAX_BUNDLE, [AUDIO, VIDEO], [], False),
    'audio-only': (Policy.MAX_BUNDLE, [AUDIO], [], False),
    'video-only': (Policy.MAX_BUNDLE, [VIDEO], [], False),
    'datachannel': (Policy.MAX_BUNDLE, [AUDIO, VIDEO], [], True),
    'recvonly': (Policy.MAX_BUNDLE, [AUDIO, VIDEO], [RECV_AUDIO, RECV_VIDEO], False),
}


def wait_promise(emit):
    promise = Gst.Promise.new()
    emit(promise)
    promise.wait()
    return promise.get_reply()


def wait_for_ssrcs(webrtc, count, timeout_s=5.0):
    """Waits until each of the first `count` sink pads has caps that carry an ssrc."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ready = 0
        for index in range(count):
            pad = webrtc.get_static_pad(f'sink_{index}')
            caps = pad.get_current_caps() if pad else None
            if caps and caps.get_structure(0).has_field('ssrc'):
                ready += 1
        if ready == count:
            return
        time.sleep(0.05)
    sys.exit('the payloaders negotiated no ssrc in time')


def reply_error(reply):
    if reply is not None and reply.has_field('error'):
        return str(reply.get_value('error'))
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('case', choices=sorted(CASES))
    parser.add_argument('--offer')
    parser.add_argument('--gathered')
    parser.add_argument('--answer-cmd')
    args = parser.parse_args()
    policy, sends, receives, data = CASES[args.case]

    Gst.init(None)
    pipe = Gst.Pipeline.new('publish')
    webrtc = Gst.ElementFactory.make('webrtcbin', 'webrtc')
    webrtc.set_property('bundle-policy', policy)
    pipe.add(webrtc)
    # libnice leaves 127.0.0.1 out unless told; reading ice-agent drops a reference: keep one.
    agent = webrtc.get_property('ice-agent')
    main.agent = agent
    agent.emit('add-local-ip-address', '127.0.0.1')
    sources = []
    for description in sends:
        source = Gst.parse_bin_from_description(description, True)
        pipe.add(source)
        source.link(webrtc)
        sources.append(source)
        source.set_locked_state(args.case == 'no-ssrc')
    for caps in receives:
        webrtc.emit('add-transceiver', Direction.RECVONLY, Gst.Caps.from_string(caps))
    # A publisher only sends on the transceivers it made for its sources.
    for index in range(len(sends)):
        webrtc.emit('get-transceiver', index).set_property('direction', Direction.SENDONLY)
    pipe.set_state(Gst.State.PLAYING)
    if data:
        webrtc.emit('create-data-channel', 'chat', None)
    if args.case != 'no-ssrc':
        wait_for_ssrcs(webrtc, len(sends))

    reply = wait_promise(lambda p: webrtc.emit('create-offer', None, p))
    offer = reply.get_value('offer')
    offer_text = offer.sdp.as_text()
    error = reply_error(wait_promise(lambda p: webrtc.emit('set-local-description', offer, p)))
    if error:
        sys.exit('set-local-description: ' + error)
    if args.offer:
        with open(args.offer, 'w') as out:
            out.write(offer_text)
    elif not args.answer_cmd:
        sys.stdout.write(offer_text)

    if args.gathered:
        loop = GLib.MainLoop()

        def gathering(element, _param):
            if element.get_property('ice-gathering-state') == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
                loop.quit()
        webrtc.connect('notify::ice-gathering-state', gathering)
        GLib.timeout_add_seconds(10, loop.quit)
        if webrtc.get_property('ice-gathering-state') != GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            loop.run()
        with open(args.gathered, 'w') as out:
            out.write(webrtc.get_property('local-description').sdp.as_text())

    status = 0
    if args.answer_cmd:
        status = round_trip(webrtc, args.case, offer_text, args.answer_cmd)
    pipe.set_state(Gst.State.NULL)
    sys.exit(status)


def round_trip(webrtc, case, offer_text, command):
    name = 'webrtcbin-' + case
    node = subprocess.run(command, shell=True, input=offer_text, capture_output=True, text=True)
    if node.returncode == 2:
        print(f'REFUSED {name}: {node.stderr.strip()}')
        return 3
    if node.returncode != 0:
        print(f'FAIL {name}: the answer command failed: {node.stderr.strip()}')
        return 1
    result, message = GstSdp.SDPMessage.new_from_text(node.stdout)
    if result != GstSdp.SDPResult.OK:
        print(f'FAIL {name}: webrtcbin cannot parse the answer')
        return 1
    answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, message)
    error = reply_error(wait_promise(lambda p: webrtc.emit('set-remote-description', answer, p)))
    state = webrtc.get_property('signaling-state')
    if error or state != GstWebRTC.WebRTCSignalingState.STABLE:
        print(f'FAIL {name}: set-remote-description: {error or state.value_nick}')
        return 1
    directions = []
    index = 0
    while True:
        transceiver = webrtc.emit('get-transceiver', index)
        if transceiver is None:
            break
        directions.append(f"{transceiver.get_property('mid')}={transceiver.get_property('current-direction').value_nick}")
        index += 1
    print(f"PASS {name}: answer applied, signaling stable; transceivers {' '.join(directions)}")
    return 0


if __name__ == '__main__':
    main()
