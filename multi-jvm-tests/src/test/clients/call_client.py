"""What every Python call client of the end-to-end tests shares, whatever its WebRTC stack.

The protocol v1 session (hello, join, joined, the publish answer, subscribe offers, track events,
leave), the line-delimited JSON events on stdout that ExternalClient.java reads, the `leave`
command on stdin, and the mapping of subscribe m-lines to publishers by a=msid. A stack's client
subclasses CallClient and fills in `publish`, `on_publish_answer`, `answer_subscribe`,
`close_media` and `snapshot`.
"""

import argparse
import asyncio
import json
import sys
import threading
import time

import websockets

_emit_lock = threading.Lock()


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def emit(event, **fields):
    """One event line on stdout; `t` is this process's monotonic clock unless given."""
    fields = {"event": event, **fields}
    fields.setdefault("t", time.monotonic())
    with _emit_lock:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()


def msids_by_mid(sdp):
    """mid -> (stream, track) of every m-line with an a=msid, as the node's subscribe offers name them."""
    result = {}
    mid = msid = None

    def flush():
        if mid is not None and msid is not None:
            result[mid] = msid

    for line in sdp.splitlines():
        if line.startswith("m="):
            flush()
            mid = msid = None
        elif line.startswith("a=mid:"):
            mid = line[len("a=mid:"):].strip()
        elif line.startswith("a=msid:"):
            parts = line[len("a=msid:"):].split()
            if len(parts) >= 2:
                msid = (parts[0], parts[1])
    flush()
    return result


def arguments(description):
    """The options every client takes; a stack's client adds its own to the parser it gets back."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--url", required=True, help="ws://127.0.0.1:PORT/signal")
    parser.add_argument("--room", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--neighbourhood", default="neighbourhood://test")
    parser.add_argument("--no-pli", action="store_true", help="never send PLI nor FIR; NACKs stay")
    parser.add_argument("--publish", default="audio,video", help="audio,video | audio | video | none")
    parser.add_argument("--verbose", action="store_true", help="SDP to stderr")
    return parser


def publish_kinds(text):
    return [] if text == "none" else [k.strip() for k in text.split(",") if k.strip()]


class CallClient:
    def __init__(self, args):
        self.args = args
        self.loop = None
        self.ws = None
        self.participant_id = None
        self.joined_at = None
        self.msids = {}            # mid -> (participantId, trackId), from the latest subscribe offer
        self.track_owners = {}     # trackId -> participantId, from track-published / joined.tracks
        self.counts = {}           # participantId -> {"video": n, "audio": n}
        self.first = set()         # (participantId, kind, trackId) already reported
        self.tasks = set()
        self.done = asyncio.Event()
        self.pong = asyncio.Event()

    # --- what a stack's client provides ---

    async def publish(self):
        raise NotImplementedError

    async def on_publish_answer(self, sdp):
        raise NotImplementedError

    async def answer_subscribe(self, sdp):
        raise NotImplementedError

    async def close_media(self):
        raise NotImplementedError

    def snapshot(self):
        """(decoded frame counts per publisher, keyframe requests this receiver held back)."""
        raise NotImplementedError

    # --- the session ---

    def spawn(self, coro):
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def send(self, frame):
        await self.ws.send(json.dumps(frame))

    async def run(self):
        self.loop = asyncio.get_running_loop()
        async with websockets.connect(self.args.url, max_size=None, ping_interval=None,
                                      open_timeout=10) as ws:
            self.ws = ws
            self.spawn(self.read_stdin())
            self.spawn(self.report_counts())
            reader = self.spawn(self.read_signal())
            await self.done.wait()
            await self.leave()
            reader.cancel()

    async def read_signal(self):
        try:
            async for text in self.ws:
                frame = json.loads(text)
                try:
                    await self.on_frame(frame)
                except Exception as e:  # one bad frame must not end the client
                    emit("error", message=f"{type(e).__name__} handling {frame.get('type')}: {e}")
                    log(f"error handling {frame.get('type')}: {e!r}")
            emit("error", message="signal socket closed by the node")
        except websockets.ConnectionClosed as e:
            emit("error", message=f"signal socket closed: {e}")
        self.done.set()

    async def on_frame(self, frame):
        kind = frame.get("type")
        if kind == "hello":
            emit("hello", node=frame.get("node"))
            await self.send({
                "type": "join", "id": "join-1",
                "neighbourhood": self.args.neighbourhood, "room": self.args.room,
                "did": "did:key:z6Mk" + self.args.name, "name": self.args.name,
                "autoSubscribe": True,
            })
        elif kind == "joined":
            self.joined_at = time.monotonic()
            self.participant_id = frame["participantId"]
            for track in frame.get("tracks", []):
                self.track_owners[track["trackId"]] = track["participantId"]
            emit("joined", participantId=self.participant_id, node=frame.get("node"),
                 topology=frame.get("topology"), t=self.joined_at)
            if self.args.publish:
                await self.publish()
        elif kind == "answer" and frame.get("pc") == "publish":
            if self.args.verbose:
                log("publish answer:\n" + frame["sdp"])
            await self.on_publish_answer(frame["sdp"])
            emit("published")
        elif kind == "offer" and frame.get("pc") == "subscribe":
            await self.answer_subscribe(frame["sdp"])
        elif kind == "track-published":
            track = frame["track"]
            self.track_owners[track["trackId"]] = track["participantId"]
            emit("signal", type=kind, track=track)
        elif kind == "pong":
            self.pong.set()
        elif kind == "error":
            emit("error", message=f"node error {frame.get('code')}: {frame.get('message')}", code=frame.get("code"))
        elif kind in ("participant-joined", "participant-left", "track-unpublished", "track-unavailable"):
            emit("signal", type=kind, frame=frame)

    async def report_counts(self):
        while True:
            await asyncio.sleep(0.5)
            counts, held_back = self.snapshot()
            emit("frames", counts=counts, plisSuppressed=held_back)

    async def read_stdin(self):
        reader = asyncio.StreamReader()
        await self.loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                break
            command = line.decode().strip()
            if command == "leave":
                break
            if command:
                emit("error", message=f"unknown command {command!r}")
        self.done.set()

    async def leave(self):
        # The node handles a socket's requests in order: its pong says the leave went through, so
        # closing the peer connections afterwards is not mistaken for a lost connection.
        try:
            await self.send({"type": "leave"})
            await self.send({"type": "ping"})
            await asyncio.wait_for(self.pong.wait(), 3)
        except Exception:
            pass
        counts, held_back = self.snapshot()
        await self.close_media()
        emit("frames", counts=counts, plisSuppressed=held_back)
        emit("left")


def run(client):
    """Runs `client` until it leaves; exits non-zero after an error that ended it."""
    try:
        asyncio.run(client.run())
    except KeyboardInterrupt:
        pass
    except Exception as e:
        emit("error", message=f"{type(e).__name__}: {e}")
        log(repr(e))
        return 1
    return 0
