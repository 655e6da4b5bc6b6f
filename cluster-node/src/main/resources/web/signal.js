// The /signal WebSocket: one JSON object per frame (docs/protocol.md, version 1).
export class SignalSocket {
  constructor(url, onMessage, onClose) {
    this.nextId = 1;
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
    this.socket.onclose = () => onClose();
    this.opened = new Promise((resolve, reject) => {
      this.socket.onopen = resolve;
      this.socket.onerror = () => reject(new Error('cannot reach ' + url));
    });
  }

  /** Sends a request; returns the id it carries so a reply can be matched. */
  send(message) {
    const id = String(this.nextId++);
    this.socket.send(JSON.stringify({ id, ...message }));
    return id;
  }

  close() {
    this.socket.close();
  }
}
