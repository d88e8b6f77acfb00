// Socket.IO v5 packets on the default namespace, as text: CONNECT `0{auth}`, DISCONNECT `1`,
// EVENT `2[name, ...args]` (with an optional ack id), ACK `3id[...]`, CONNECT_ERROR `4{message}`.
// Pure encode/decode; binary packets are not used by this server's events.

export const CONNECT = 0;
export const DISCONNECT = 1;
export const EVENT = 2;
export const ACK = 3;
export const CONNECT_ERROR = 4;

export function encodeConnect(auth) {
  return auth ? `${CONNECT}${JSON.stringify(auth)}` : `${CONNECT}`;
}

export function encodeEvent(name, args = [], ackId = null) {
  return `${EVENT}${ackId === null ? '' : ackId}${JSON.stringify([name, ...args])}`;
}

/** → {type, id, data} or null for a packet that is not for the default namespace or is malformed. */
export function decode(text) {
  if (!text || text.charAt(0) < '0' || text.charAt(0) > '6') return null;
  const type = Number(text.charAt(0));
  let i = 1;
  if (text.charAt(i) === '/') {
    const comma = text.indexOf(',', i);
    const nsp = comma < 0 ? text.slice(i) : text.slice(i, comma);
    if (nsp !== '/') return null;
    i = comma < 0 ? text.length : comma + 1;
  }
  let id = null;
  let digits = '';
  while (i < text.length && text.charAt(i) >= '0' && text.charAt(i) <= '9') digits += text.charAt(i++);
  if (digits) id = Number(digits);
  let data = null;
  if (i < text.length) {
    try { data = JSON.parse(text.slice(i)); } catch { return null; }
  }
  if (type === EVENT && (!Array.isArray(data) || typeof data[0] !== 'string')) return null;
  return { type, id, data };
}
