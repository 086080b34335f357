/**
 * Relay credentials live only as long as their peer is on the signal server
 * (#8 item 7). The signal server issues `expiry:peerId` credentials valid for
 * 24 h; without this gate a peer that left (or was never more than a throwaway
 * identity) kept allocating with them all day, and allocations made after it
 * left were never freed. A peer counts as online while registered and for the
 * signal server's reconnect grace after it leaves (./relay-release).
 *
 * Only users that are peer ids are gated: credentials for any other user can
 * only have been minted by a holder of the secret (coturn's REST scheme, e.g.
 * turnutils_uclient -W), not handed out at registration. Pure.
 */

/** A REST username's user part that is a peer id: hex sha256 prefix, as the signal server issues. */
const PEER_ID_USER = /^[0-9a-f]{40}$/;

/** Whether `user` is (or was just) online; omitted when the relay runs without a signal server. */
export type OwnerOnline = (user: string) => boolean;

/** Why a request with `user`'s credentials is refused (403), or undefined when they still work. */
export function ownerRefusal(user: string, online: OwnerOnline | undefined): string | undefined {
  if (!online || !PEER_ID_USER.test(user) || online(user)) return undefined;
  return `peer ${user} is not online on the signal server; its relay credentials no longer work`;
}
