/**
 * The server's relayed `signal` as text (#9). The receiver gets
 * `{"type":"signal","from":PEER,"fromIp":IP?,"payload":PAYLOAD}`. JSON.stringify
 * of the payload (an SDP of ~550 characters full of \r\n escapes) was the
 * largest JavaScript cost of a relayed signal (~3 µs of ~18). So PAYLOAD is the
 * sender's own text of it, but only when that text is exactly the payload the
 * server validated:
 *
 *  - the message text is `{"type":"signal","to":"<to>","payload":` + P + `}`,
 *    what our client's encodeMessage writes, so its keys are those three, once
 *    each, and P is the payload's text;
 *  - P is one flat JSON object (no nested object or array: every payload value
 *    the schemas allow is a string, number or boolean) with as many members as
 *    the validated payload has keys: no key was stripped and none is repeated.
 *
 * Then P parses to the validated payload (strings may differ only in how they
 * are escaped). Otherwise the payload is serialized as before.
 */
import type { PeerInfo, SignalPayload } from './messages.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;

/**
 * Where the flat JSON object that starts at `start` in `text` ends (the index
 * after its `}`), if it has exactly `members` members; -1 otherwise. `text` is
 * known to be valid JSON (it was parsed), so only strings, commas and braces
 * need telling apart.
 */
export function flatObjectEnd(text: string, start: number, members: number): number {
  if (text.charCodeAt(start) !== OPEN_BRACE) return -1;
  let commas = 0;
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // To the closing quote: the next one not escaped (preceded by an even run of backslashes).
      let j = i;
      for (;;) {
        j = text.indexOf('"', j + 1);
        if (j < 0) return -1;
        let k = j - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
    } else if (c === COMMA) commas++;
    else if (c === CLOSE_BRACE) return commas + 1 === members ? i + 1 : -1;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) return -1;
  }
  return -1;
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** The text of `payload` in the signal message `text` (sent to `to`), when it is exactly that payload; undefined otherwise. */
export function payloadText(text: string, to: string, payload: SignalPayload): string | undefined {
  // `{"type":"signal","to":"` is 23 characters, a peer id 40, `","payload":` 12.
  const start = 23 + to.length + 12;
  if (text.length <= start + 1 || text.charCodeAt(text.length - 1) !== CLOSE_BRACE) return undefined;
  if (!text.startsWith('{"type":"signal","to":"') || !text.startsWith(to, 23) || !text.startsWith('","payload":', 23 + to.length)) return undefined;
  const end = flatObjectEnd(text, start, keyCount(payload));
  return end === text.length - 1 ? text.slice(start, end) : undefined;
}

/** The relayed signal's text; `payloadJson` (from payloadText) stands for the payload when given. */
export function encodeSignalIn(from: PeerInfo, fromIp: string | undefined, payload: SignalPayload, payloadJson?: string): string {
  if (payloadJson === undefined) return JSON.stringify({ type: 'signal', from, fromIp, payload });
  const ip = fromIp === undefined ? '' : `,"fromIp":${JSON.stringify(fromIp)}`;
  return `{"type":"signal","from":${JSON.stringify(from)}${ip},"payload":${payloadJson}}`;
}
