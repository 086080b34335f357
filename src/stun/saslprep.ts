/**
 * String preparation for long-term credentials.
 *
 * RFC 8489 §9.2.2 runs the username, realm and password through the PRECIS
 * OpaqueString profile (RFC 8265); RFC 5389 (and the RFC 5769 test vectors)
 * used SASLprep (RFC 4013). Neither is applied implicitly by longTermKey():
 * most deployed clients (browsers, coturn) hash the bytes as typed, so a
 * server should hash what it has stored. These helpers are for callers that
 * want the RFC behaviour.
 *
 * Limitations (documented, deliberate): saslprep() does the RFC 4013 mapping
 * (non-ASCII spaces -> U+0020, "commonly mapped to nothing" removed), NFKC and
 * the prohibited-output check, but not the bidirectional-text rule nor the
 * unassigned-code-point check (it behaves as for "stored strings" of a
 * Unicode version newer than 3.2).
 */

const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu;
// RFC 3454 tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9.
const PROHIBITED =
  /[\u0000-\u001F\u007F-\u009F\u00A0\u0340\u0341\u06DD\u070F\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u2063\u206A-\u206F\u2FF0-\u2FFB\u3000\uD800-\uDFFF\uE000-\uF8FF\uFDD0-\uFDEF\uFEFF\uFFF9-\uFFFF\u{1D173}-\u{1D17A}\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{E0001}\u{E0020}-\u{E007F}\u{EFFFE}-\u{10FFFF}]/u;

/** SASLprep (RFC 4013), see the limitations above. Throws RangeError on prohibited output. */
export function saslprep(input: string): string {
  const mapped = input.replace(MAPPED_TO_NOTHING, '').replace(NON_ASCII_SPACE, ' ');
  const out = mapped.normalize('NFKC');
  if (PROHIBITED.test(out)) throw new RangeError('SASLprep: prohibited character');
  return out;
}

/** PRECIS OpaqueString (RFC 8265 §4.2): non-ASCII spaces -> U+0020, NFC, no controls, not empty. */
export function opaqueString(input: string): string {
  const out = input.replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/gu, ' ').normalize('NFC');
  if (out.length === 0) throw new RangeError('OpaqueString: empty string');
  if (/[\u0000-\u001F\u007F-\u009F]/u.test(out)) throw new RangeError('OpaqueString: control character');
  return out;
}
