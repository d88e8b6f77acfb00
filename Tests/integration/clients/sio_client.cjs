#!/usr/bin/env node
// sio_client.cjs - (copied from shared/tools/sio_probe_js.cjs; the bundle path comes from $SIO_JS_BUNDLE)
// the REAL Socket.IO v4 JavaScript client (socket.io-client 4.8.1 browser bundle,
// shipped inside the PyPI wheel nicegui 3.18.0 as nicegui/static/socket.io.min.js) run under Node 20,
// doing what our web panels do: io(URL) -> emit("authenticate", {token}) -> wait "authenticated" ->
// print every event for N seconds.  One JSON object per line.  Exit 0 ok, 2 connect failed,
// 3 no "authenticated", 4 disconnected early.
//
//   SIO_JS_BUNDLE=/path/socket.io.min.js node sio_client.cjs URL [--token T] [--seconds N] [--transport websocket|polling|upgrade]
//                             [--emit EVENT JSON]... [--emit-binary EVENT HEX]... [--echo-acks] [--no-auth] [--path /socket.io/]
//   --emit-binary emits EVENT with one binary argument (a Buffer of the hex bytes, asking for an ack);
//   --echo-acks answers the server's "echo" events by acking their arguments back. Binary values in
//   printed arguments appear as {"$bytes": "<hex>"}.
//
// Browser globals the bundle needs are supplied from Debian packages:
//   WebSocket      <- node-ws 8.11  (/usr/share/nodejs/ws)            [apt-get install node-ws]
//   XMLHttpRequest <- node-xmlhttprequest 1.8 (/usr/share/nodejs/xmlhttprequest) [apt-get install node-xmlhttprequest]
// (Node 20 also has `node --experimental-websocket`, but ws is closer to what engine.io-client's Node build uses.)
"use strict";
const path = require("path");
globalThis.WebSocket = require("/usr/share/nodejs/ws");
globalThis.XMLHttpRequest = require("/usr/share/nodejs/xmlhttprequest").XMLHttpRequest;
// The bundle's polling transport base64-encodes binary with the browser's FileReader, which Node lacks.
if (typeof globalThis.FileReader === "undefined") {
  globalThis.FileReader = class FileReader {
    readAsDataURL(blob) {
      blob.arrayBuffer().then((buffer) => {
        this.result = "data:application/octet-stream;base64," + Buffer.from(buffer).toString("base64");
        if (this.onload) this.onload();
      });
    }
  };
}
const io = require(process.env.SIO_JS_BUNDLE || path.join(__dirname, "socket.io.min.js"));

const argv = process.argv.slice(2);
const opt = { token: "test-token", seconds: 5, transport: "upgrade", emits: [], auth: true,
              path: "/socket.io/", authTimeout: 5, connectTimeout: 5, okEvent: "authenticated", authEvent: "authenticate" };
let url = null;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--token") opt.token = argv[++i];
  else if (a === "--seconds") opt.seconds = parseFloat(argv[++i]);
  else if (a === "--auth-timeout") opt.authTimeout = parseFloat(argv[++i]);
  else if (a === "--connect-timeout") opt.connectTimeout = parseFloat(argv[++i]);
  else if (a === "--transport") opt.transport = argv[++i];
  else if (a === "--path") opt.path = argv[++i];
  else if (a === "--emit") { opt.emits.push([argv[i + 1], JSON.parse(argv[i + 2])]); i += 2; }
  else if (a === "--emit-binary") { opt.emits.push([argv[i + 1], Buffer.from(argv[i + 2], "hex")]); i += 2; }
  else if (a === "--echo-acks") opt.echoAcks = true;
  else if (a === "--no-auth") opt.auth = false;
  else if (a === "--ok-event") opt.okEvent = argv[++i];
  else if (a === "--auth-event") opt.authEvent = argv[++i];
  else if (a === "-h" || a === "--help") { console.log(require("fs").readFileSync(__filename, "utf8").split("\n").slice(1, 14).join("\n")); process.exit(0); }
  else url = a;
}
if (!url) { console.error("usage: node sio_probe_js.cjs URL [options]"); process.exit(1); }

const T0 = Date.now();
const bytesAsHex = (key, value) => {
  if (value instanceof ArrayBuffer) return { $bytes: Buffer.from(value).toString("hex") };
  if (value && value.type === "Buffer" && Array.isArray(value.data)) return { $bytes: Buffer.from(value.data).toString("hex") };
  if (ArrayBuffer.isView(value)) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex") };
  return value;
};
const out = (kind, o = {}) => console.log(JSON.stringify({ t: (Date.now() - T0) / 1000, kind, ...o }, bytesAsHex));
const transports = { websocket: ["websocket"], polling: ["polling"], upgrade: ["polling", "websocket"] }[opt.transport];
if (!transports) { console.error("bad --transport"); process.exit(1); }

process.on("uncaughtException", (e) => {   // e.g. a malformed OPEN packet makes the bundle throw
  out("fail", { stage: "uncaught", error: String(e && e.message), at: String((e && e.stack || "").split("\n")[1] || "").trim() });
  out("done", { rc: 2 }); process.exit(2);
});
setTimeout(() => { if (!socket.connected && !done) finish(2, `not connected within ${opt.connectTimeout}s (no "40{sid}" reply?)`); },
           opt.connectTimeout * 1000);

const socket = io(url, { transports, path: opt.path, reconnection: false, timeout: 5000,
                         upgrade: opt.transport === "upgrade" });
let authed = false, done = false;
const finish = (rc, why) => {
  if (done) return; done = true;
  if (why) out("fail", { error: why });
  socket.close();
  out("done", { rc, client: "socket.io-client 4.8.1 (browser bundle)" });
  setTimeout(() => process.exit(rc), 50);
};

socket.io.engine && socket.io.engine.on && socket.io.engine.on("upgrade", (t) => out("upgrade", { transport: t.name }));
socket.on("connect", () => {
  const engine = socket.io.engine;
  out("connect", { sid: socket.id, transport: engine.transport.name });
  if (opt.auth) {
    out("emit", { event: opt.authEvent, args: [{ token: opt.token }] });
    socket.emit(opt.authEvent, { token: opt.token }, (...args) => out("ack", { event: opt.authEvent, args }));
    setTimeout(() => { if (!authed) finish(3, `no '${opt.okEvent}' within ${opt.authTimeout}s`); }, opt.authTimeout * 1000);
  } else startListening();
});
socket.on("connect_error", (err) => { out("connect_error", { message: err.message, description: String(err.description || "") }); finish(2); });
socket.on("disconnect", (reason) => { out("disconnect", { reason }); finish(4, "disconnected before the listen window ended"); });
if (opt.echoAcks) socket.on("echo", (...args) => { const ack = args.pop(); if (typeof ack === "function") ack(...args); });
socket.onAny((event, ...args) => {
  out("event", { event, args, transport: socket.io.engine.transport.name });
  if (event === opt.okEvent && !authed) { authed = true; startListening(); }
});

function startListening() {
  for (const [ev, payload] of opt.emits) {
    out("emit", { event: ev, args: [payload] });
    socket.emit(ev, payload, (...args) => out("ack", { event: ev, args }));
  }
  setTimeout(() => finish(0), opt.seconds * 1000);
}
