// Shared by drive.js and calibrate.js: URLs that carry the page's ?token=, and a WebSocket
// that reconnects by itself.
"use strict";

const burroCommon = (() => {
  const token = new URLSearchParams(window.location.search).get("token");

  // The token travels on every URL when the page was opened with one; without it the
  // server's HttpOnly cookie (set when the page was loaded with ?token=) does the job.
  function withToken(path) {
    if (!token) return path;
    const separator = path.includes("?") ? "&" : "?";
    return path + separator + "token=" + encodeURIComponent(token);
  }

  function socketUrl(path) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + withToken(path);
  }

  // A JSON WebSocket that reconnects with a growing delay (0.5 s doubling up to 5 s).
  // handlers: onOpen(), onMessage(object), onClose(secondsUntilRetry, closeEvent).
  class ReconnectingSocket {
    constructor(path, handlers) {
      this.path = path;
      this.handlers = handlers;
      this.retries = 0;
      this.socket = null;
      this.connect();
    }

    connect() {
      const socket = new WebSocket(socketUrl(this.path));
      this.socket = socket;
      socket.onopen = () => {
        this.retries = 0;
        this.handlers.onOpen && this.handlers.onOpen();
      };
      socket.onmessage = (event) => {
        let message;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return;  // the server only sends JSON; anything else is not ours to act on
        }
        this.handlers.onMessage && this.handlers.onMessage(message);
      };
      socket.onclose = (event) => {
        const delay = Math.min(5000, 500 * 2 ** this.retries);
        this.retries += 1;
        this.handlers.onClose && this.handlers.onClose(delay / 1000, event);
        window.setTimeout(() => this.connect(), delay);
      };
    }

    get isOpen() {
      return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
    }

    send(message) {
      if (!this.isOpen) return false;
      this.socket.send(JSON.stringify(message));
      return true;
    }
  }

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function fixed(value, digits) {
    return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "–";
  }

  return { withToken, socketUrl, ReconnectingSocket, clamp, fixed };
})();
