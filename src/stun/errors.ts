/**
 * The one exception type the decoders throw. `reason` is a short, stable,
 * machine-readable code (e.g. "bad-cookie", "attribute-overrun",
 * "bad-length"); `message` adds human-readable detail.
 */
export class StunDecodeError extends Error {
  readonly reason: string;

  constructor(reason: string, detail?: string) {
    super(detail === undefined ? reason : `${reason}: ${detail}`);
    this.name = 'StunDecodeError';
    this.reason = reason;
  }
}
