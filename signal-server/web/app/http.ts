/**
 * An HTTP/1.1 GET through a tunnel stream (the peer's web service behind its
 * NAT), and the parse of its response: status, headers, a body by
 * Content-Length, chunked, or up to the end of the stream. Pure but for the
 * stream it is given.
 */
import { concat, fromUtf8, utf8 } from './bytes.js';
import type { BrowserStream } from './stream.js';

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Map<string, string>;
  body: Uint8Array;
}

export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export async function httpGet(stream: BrowserStream, path: string, host: string): Promise<HttpResponse> {
  const parts: Uint8Array[] = [];
  let size = 0;
  stream.onData = (chunk) => {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) stream.reset(`response larger than ${MAX_RESPONSE_BYTES} bytes`);
    else parts.push(chunk);
  };
  const safePath = path.startsWith('/') ? path : `/${path}`;
  await stream.write(utf8.encode(`GET ${encodeURI(decodeURI(safePath))} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: p2prc-browser\r\nAccept: */*\r\nConnection: close\r\n\r\n`));
  // Connection: close: the service ends its side after the response; then we end ours
  // (not before: a server may take an early half-close for a client that went away).
  await stream.whenReadEnded();
  await stream.end();
  await stream.whenEnded();
  return parseResponse(concat(parts));
}

export function parseResponse(raw: Uint8Array): HttpResponse {
  let headEnd = -1;
  for (let i = 0; i + 3 < raw.length; i++) {
    if (raw[i] === 13 && raw[i + 1] === 10 && raw[i + 2] === 13 && raw[i + 3] === 10) {
      headEnd = i;
      break;
    }
  }
  if (headEnd < 0) throw new Error(`not an HTTP response (${raw.length} bytes, no end of headers)`);
  const lines = fromUtf8.decode(raw.subarray(0, headEnd)).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0] ?? '');
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  let body = raw.subarray(headEnd + 4);
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) body = dechunk(body);
  else if (headers.has('content-length')) body = body.subarray(0, Number(headers.get('content-length')));
  return { status: Number(m[1]), statusText: m[2] ?? '', headers, body };
}

function dechunk(b: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    let eol = at;
    while (eol + 1 < b.length && !(b[eol] === 13 && b[eol + 1] === 10)) eol++;
    if (eol + 1 >= b.length) throw new Error('chunked body cut short');
    const n = parseInt(fromUtf8.decode(b.subarray(at, eol)).split(';')[0]!, 16);
    if (!Number.isFinite(n)) throw new Error('bad chunk size');
    if (n === 0) break;
    out.push(b.subarray(eol + 2, eol + 2 + n));
    at = eol + 2 + n + 2;
  }
  return concat(out);
}
