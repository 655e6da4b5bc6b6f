// A call made through the node's GraphQL API alone (graphql-transport-ws), for GraphqlTest:
// callJoin with the publish offer, the node's subscribe offers from callSignals answered with
// callAnswer; every session operation carries the session secret callJoin returned. Evaluated in
// a page served by the node; exposes window.graphqlCall.
window.graphqlCall = {
  async start(neighbourhood, room, name) {
    const ws = new WebSocket(`ws://${location.host}/graphql`, 'graphql-transport-ws');
    await new Promise((opened, failed) => { ws.onopen = opened; ws.onerror = failed; });
    const listeners = new Map();
    let nextId = 1;
    let acked;
    const ack = new Promise((resolve) => { acked = resolve; });
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'connection_ack') acked();
      const listener = listeners.get(message.id);
      if (listener) listener(message);
    };
    ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await ack;
    const operation = (query, variables, onData) => {
      const id = String(nextId++);
      listeners.set(id, onData);
      ws.send(JSON.stringify({ type: 'subscribe', id, payload: { query, variables } }));
    };
    const request = (query, variables) => new Promise((resolve, reject) => operation(query, variables, (m) => {
      if (m.type === 'next' && !m.payload.errors) resolve(m.payload.data);
      else if (m.type !== 'complete') reject(new Error(JSON.stringify(m.payload)));
    }));

    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
    const publish = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    media.getTracks().forEach((track) => publish.addTransceiver(track, { direction: 'sendonly', streams: [media] }));
    await publish.setLocalDescription(await publish.createOffer());
    const joined = await request(`mutation($n: String!, $r: String!, $d: String!, $name: String, $o: String) {
        callJoin(neighbourhoodUrl: $n, roomId: $r, did: $d, name: $name, offer: $o) {
          sessionId sessionSecret roomId topology answer } }`,
      { n: neighbourhood, r: room, d: `did:key:z6Mk${name}`, name, o: publish.localDescription.sdp });
    const session = joined.callJoin;
    await publish.setRemoteDescription({ type: 'answer', sdp: session.answer });

    const subscribe = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    subscribe.ontrack = (event) => {
      const video = document.createElement('video');
      video.autoplay = true;
      video.muted = true;
      video.srcObject = event.streams[0] || new MediaStream([event.track]);
      document.body.append(video);
    };
    let steps = Promise.resolve();
    operation('subscription($s: String!, $k: String!) {'
      + ' callSignals(sessionId: $s, sessionSecret: $k) { type message } }',
      { s: session.sessionId, k: session.sessionSecret }, (m) => {
        if (m.type !== 'next') return;
        const frame = JSON.parse(m.payload.data.callSignals.message);
        if (frame.type !== 'offer' || frame.pc !== 'subscribe') return;
        steps = steps.then(async () => {
          await subscribe.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
          await subscribe.setLocalDescription(await subscribe.createAnswer());
          await request('mutation($s: String!, $k: String!, $sdp: String!) {'
            + ' callAnswer(sessionId: $s, sessionSecret: $k, sdp: $sdp) }',
            { s: session.sessionId, k: session.sessionSecret, sdp: subscribe.localDescription.sdp });
        }).catch((e) => console.error('graphql call', e));
      });
    Object.assign(this, { ws, publish, subscribe, session, request });
    return session;
  },

  async inboundVideo() {
    const out = [];
    (await this.subscribe.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.push({ framesDecoded: s.framesDecoded || 0, frameWidth: s.frameWidth || 0 });
      }
    });
    return out;
  },

  async setQuality(quality) {
    return this.request('mutation($s: String!, $k: String!, $q: String!) {'
      + ' callSetQuality(sessionId: $s, sessionSecret: $k, quality: $q) }',
      { s: this.session.sessionId, k: this.session.sessionSecret, q: quality });
  },

  async leave() {
    return this.request('mutation($r: String!, $s: String!, $k: String!) {'
      + ' callLeave(roomId: $r, sessionId: $s, sessionSecret: $k) }',
      { r: this.session.roomId, s: this.session.sessionId, k: this.session.sessionSecret });
  },
};
