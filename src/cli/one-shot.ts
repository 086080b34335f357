/**
 * The short-lived registration of `p2prc peers` and `p2prc nat`: a signal
 * client under a throwaway identity, so that asking the server something never
 * collides with a peer running on this machine's data dir.
 */
import { Identity } from '../identity/keys.js';
import { SignalClient } from '../peer/signal-client.js';
import { secretOf } from './options.js';

/**
 * A client named `<purpose>-<first 8 hex of its peer id>`, not yet connected
 * (a caller may listen for its events first); the caller closes it.
 */
export function oneShotClient(purpose: string, o: { server: string; secret?: string; serverCert?: string }): SignalClient {
  const identity = Identity.generate();
  const secret = secretOf(o);
  return new SignalClient({ url: o.server, name: `${purpose}-${identity.peerId.slice(0, 8)}`, identity, secret: secret || undefined, ...(o.serverCert ? { pinnedCertSha256: o.serverCert.toUpperCase() } : {}) });
}
