#!/usr/bin/python3
"""Makes a publish offer with aiortc, for the SDP corpus and the round trip.

    aiortc_offer.py CASE [--offer FILE] [--answer-cmd CMD]

aiortc gathers before it offers, so its offer carries its candidates (non-trickle) and it
always bundles everything. Prints the offer (or writes it to --offer FILE). With
--answer-cmd, the offer is piped to CMD, whose output is applied with setRemoteDescription;
the result is printed as one line `PASS|FAIL|REFUSED aiortc-CASE: detail`
(REFUSED: CMD exited with 2, the node's refusal).

Needs Debian's python3-aiortc and runs with /usr/bin/python3, in a network namespace with only
lo up (aioice leaves loopback out of its host addresses, so it is handed 127.0.0.1 here).
"""
import argparse
import asyncio
import subprocess
import sys

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ['127.0.0.1'] if use_ipv4 else []

# case -> (tracks it sends, data channel)
CASES = {
    'audio-video': (['audio', 'video'], False),
    'audio-only': (['audio'], False),
    'video-only': (['video'], False),
    'datachannel': (['audio', 'video'], True),
}


async def run(args):
    kinds, data = CASES[args.case]
    pc = RTCPeerConnection()
    for kind in kinds:
        pc.addTransceiver(AudioStreamTrack() if kind == 'audio' else VideoStreamTrack(), direction='sendonly')
    if data:
        pc.createDataChannel('chat')
    await pc.setLocalDescription(await pc.createOffer())
    offer = pc.localDescription.sdp
    if args.offer:
        with open(args.offer, 'w') as out:
            out.write(offer)
    elif not args.answer_cmd:
        sys.stdout.write(offer)
    status = 0
    if args.answer_cmd:
        status = await round_trip(pc, args.case, offer, args.answer_cmd)
    await pc.close()
    return status


async def round_trip(pc, case, offer, command):
    name = 'aiortc-' + case
    node = subprocess.run(command, shell=True, input=offer, capture_output=True, text=True)
    if node.returncode == 2:
        print(f'REFUSED {name}: {node.stderr.strip()}')
        return 3
    if node.returncode != 0:
        print(f'FAIL {name}: the answer command failed: {node.stderr.strip()}')
        return 1
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=node.stdout, type='answer'))
    except Exception as e:  # aiortc raises ValueError and others for answers it cannot take
        print(f'FAIL {name}: setRemoteDescription: {type(e).__name__}: {e}')
        return 1
    directions = ' '.join(f'{t.mid}={t.currentDirection}' for t in pc.getTransceivers())
    print(f'PASS {name}: answer applied, signaling {pc.signalingState}; transceivers {directions}')
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('case', choices=sorted(CASES))
    parser.add_argument('--offer')
    parser.add_argument('--answer-cmd')
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == '__main__':
    main()
