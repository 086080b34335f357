/**
 * How many streams one side may have open on a session at once, and a queue
 * for the rest. libdatachannel negotiates 1024 SCTP streams and each side opens
 * channels on its own half of the ids (even or odd), so one side can hold at
 * most 511 channels besides the control channel: measured here, the 512th
 * createDataChannel throws "Too many DataChannels". A connection that arrives
 * while the session is full waits (its socket paused) for a stream to end,
 * first come first served, instead of being dropped; beyond `maxWaiting` it is
 * refused. Pure bookkeeping: no sockets, no timers.
 */

/** Streams one side opens at most on one session (512 ids, less the control and probe channels, with room to spare). */
export const MAX_STREAMS_PER_SESSION = 500;
/** Connections waiting for a stream, per session, before new ones are refused. */
export const MAX_WAITING_PER_SESSION = 4096;

export class StreamSlots {
  private open = 0;
  private readonly waiting: { grant: (granted: boolean) => void; cancelled: boolean }[] = [];

  constructor(
    readonly max = MAX_STREAMS_PER_SESSION,
    readonly maxWaiting = MAX_WAITING_PER_SESSION,
  ) {}

  get inUse(): number {
    return this.open;
  }

  get queued(): number {
    return this.waiting.filter((w) => !w.cancelled).length;
  }

  /**
   * A slot now (`true`), later (a promise resolved with true when one frees, or
   * with false once cancelled: the connection went away meanwhile), or none: the
   * queue is full.
   */
  acquire(): true | { ready: Promise<boolean>; cancel: () => void } | undefined {
    if (this.open < this.max) {
      this.open++;
      return true;
    }
    if (this.waiting.length >= this.maxWaiting) return undefined;
    let entry!: { grant: (granted: boolean) => void; cancelled: boolean };
    const ready = new Promise<boolean>((resolve) => (entry = { grant: resolve, cancelled: false }));
    this.waiting.push(entry);
    return {
      ready,
      cancel: () => {
        if (entry.cancelled) return;
        entry.cancelled = true;
        entry.grant(false);
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
      },
    };
  }

  private releaseWaiters: (() => void)[] = [];

  /**
   * Resolves at a coming release(), one holder per release, first come first
   * served: for a holder whose channel could not be made although it holds a slot
   * (libdatachannel frees a stream id a little after the channel's close is
   * reported), to try again then.
   */
  nextRelease(): Promise<void> {
    return new Promise((resolve) => this.releaseWaiters.push(resolve));
  }

  /** A stream ended: its slot goes to the first connection still waiting. */
  release(): void {
    this.releaseWaiters.shift()?.();
    for (let w = this.waiting.shift(); w; w = this.waiting.shift()) {
      if (w.cancelled) continue;
      w.grant(true); // the slot passes on: `open` stays
      return;
    }
    this.open = Math.max(0, this.open - 1);
  }
}

const perSession = new WeakMap<object, StreamSlots>();

/** The slots of one session (made on first use; gone with the session). */
export function slotsOf(session: object): StreamSlots {
  let s = perSession.get(session);
  if (!s) {
    s = new StreamSlots();
    perSession.set(session, s);
  }
  return s;
}
