// The /signal WebSocket: one JSON object per frame (docs/protocol.md, version 1).
export class SignalSocket {
  constructor(url, onMessage, onClose) {
    this.nextId = 1;
    this.waiting = [];   // frames sent before the socket opened
    this.socket = new WebSocket(url);
    this.socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        console.error('unreadable frame from node', e);
        return;
      }
      onMessage(message);
    };
    this.onClose = onClose; // replaceable: a resumed session takes over a socket opened for retrying
    this.socket.onclose = () => this.onClose();
    this.opened = new Promise((resolve, reject) => {
      this.socket.onopen = () => {
        for (const frame of this.waiting.splice(0)) this.socket.send(frame);
        resolve();
      };
      this.socket.onerror = () => reject(new Error('cannot reach ' + url));
    });
  }

  /** Sends a request; returns the id it carries so a reply can be matched. */
  send(message) {
    const id = String(this.nextId++);
    const frame = JSON.stringify({ id, ...message });
    if (this.socket.readyState === WebSocket.CONNECTING) this.waiting.push(frame);
    else if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
    return id;
  }

  close() {
    this.socket.close();
  }

  /** Stops listening (a socket given up for a new one): its late events change nothing. */
  abandon() {
    this.socket.onmessage = null;
    this.socket.onclose = null;
    this.socket.close();
  }
}
