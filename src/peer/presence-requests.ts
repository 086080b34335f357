/**
 * The signal client's unanswered presence requests: `lookup`s by target and
 * `list` pages in order (the server answers a connection's messages in order).
 * Each ends with the server's answer, its own timeout, or the connection's end,
 * whichever comes first, so no caller waits without bound.
 */
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { LookupResultMessage, PeerInfo, PeersMessage } from '../protocol/messages.js';

/** A `lookup` or `list` page the server has not answered within this is given up (offline, or an error). */
export const REQUEST_TIMEOUT_MS = 5000;

export class PresenceRequests {
  private readonly lookups = new Map<string, ((p: PeerInfo | undefined) => void)[]>();
  private readonly lists: { resolve: (m: PeersMessage) => void; reject: (e: Error) => void }[] = [];

  constructor(
    private readonly server: string,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {}

  /** Wait for the answer about `target` (undefined: offline, unanswered in time, or the connection ended). */
  lookup(target: string): Promise<PeerInfo | undefined> {
    return new Promise((resolve) => {
      const t = setTimeout(() => settle(undefined), this.timeoutMs);
      const settle = (p: PeerInfo | undefined): void => {
        clearTimeout(t);
        const list = this.lookups.get(target);
        const i = list?.indexOf(settle) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
        if (list?.length === 0) this.lookups.delete(target);
        resolve(p);
      };
      const list = this.lookups.get(target) ?? [];
      list.push(settle);
      this.lookups.set(target, list);
    });
  }

  /** Wait for the next `peers` page. */
  list(): Promise<PeersMessage> {
    return new Promise((resolve, reject) => {
      const entry = {
        resolve: (m: PeersMessage): void => (clearTimeout(t), resolve(m)),
        reject: (e: Error): void => (clearTimeout(t), reject(e)),
      };
      const t = setTimeout(() => {
        const i = this.lists.indexOf(entry);
        if (i >= 0) this.lists.splice(i, 1);
        reject(new P2prcError(ErrorCode.Timeout, `${this.server} did not answer a list page within ${this.timeoutMs / 1000}s`));
      }, this.timeoutMs);
      this.lists.push(entry);
    });
  }

  answerLookup(msg: LookupResultMessage): void {
    for (const r of msg.results) for (const settle of [...(this.lookups.get(r.target) ?? [])]) settle(r.peer);
  }

  answerList(msg: PeersMessage): void {
    this.lists.shift()?.resolve(msg);
  }

  /** The server refused a `list` (e.g. rate-limited): the oldest page waiting fails with its reason. */
  refuseList(code: string, message: string): void {
    this.lists.shift()?.reject(new P2prcError(code as ErrorCode, `signal server refused a list page: ${message}`));
  }

  /** The connection is gone: every request ends now rather than at its timeout. */
  failAll(): void {
    for (const list of [...this.lookups.values()]) for (const settle of [...list]) settle(undefined);
    for (const l of this.lists.splice(0)) l.reject(new P2prcError(ErrorCode.Timeout, `lost the signal server ${this.server}`));
  }
}
