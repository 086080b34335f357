/**
 * The public-port bench's two settings (paths.ts Setting): loopback, where the
 * proxy, the peer and the client are all this machine's 127.0.0.1, and the lab:
 *
 *   p1   (public host, 203.0.113.50)   the client
 *   srv  (203.0.113.1)                 the proxy side: p2prc server, sshd, the public socat
 *   h1a  (192.168.1.2, behind NAT r1)  the peer side: the service, p2prc expose,
 *                                      ssh -R, the inner socat (reached through a
 *                                      port forward on r1, which p2prc and ssh do not need)
 *
 * r1's link to the internet goes through the link emulator at RTT_MS round trip
 * and RATE_MBIT each way (a bandwidth-delay product of queue), so the proxy <->
 * peer leg crosses it; the client <-> proxy leg does not. Each setting starts
 * the service (client.js serve) and stops everything it made in stop().
 */
import { SERVER_IPS, Lab } from '../../test/lab/lab.js';
import { labUnavailable } from '../../test/lab/namespaces.js';
import { START_TIMEOUT_MS } from '../common.js';
import { CLIENT } from './measure.js';
import { stopPath, type Setting } from './paths.js';
import { freePort, labPlace, loopbackPlace, type Place } from './places.js';

export const RTT_MS = 50;
export const RATE_MBIT = 200;
/** The lab's service port in h1a, and the first port handed out for listeners on the proxy side. */
const LAB_SERVICE_PORT = 7001;
const LAB_PORT_BASE = 40_000;
/** The p2prc server's signalling port in the lab. */
const LAB_SIGNAL_PORT = 8088;

export interface RunningSetting {
  setting: Setting;
  lab?: Lab;
  stop(): Promise<void>;
}

async function startService(place: Place, port: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const p = place.spawn('service', process.execPath, [CLIENT, 'serve', String(port)]);
  try {
    const ev = await p.waitForEvent((o) => typeof o.listening === 'number' || typeof o.error === 'string', START_TIMEOUT_MS);
    if (typeof ev.error === 'string') throw new Error(`service: ${ev.error}`);
    return { port: Number(ev.listening), stop: () => stopPath([p]) };
  } catch (err) {
    await stopPath([p]);
    throw err;
  }
}

export async function loopbackSetting(): Promise<RunningSetting> {
  const place = loopbackPlace();
  const service = await startService(place, 0);
  return {
    setting: {
      where: 'loopback', rttMs: 0, rateMbit: null, proxy: place, peer: place, client: place, servicePort: service.port,
      proxyPort: freePort,
      // Its relay on a free UDP port; private peers allowed: every address here is 127.0.0.1.
      serverArgs: ['--host', '127.0.0.1', '--port', '0', '--stun-port', '0', '--allow-private-peers'],
      peerArgs: ['--bind', '127.0.0.1'],
      inbound: async () => {
        const port = await freePort();
        return { bind: '127.0.0.1', port, host: '127.0.0.1', dialPort: port };
      },
    },
    stop: service.stop,
  };
}

/** Why the lab setting cannot run here (not root, not Linux, tools missing), or undefined. */
export function labSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'lab rows skipped: needs Linux for network namespaces';
  if (process.getuid?.() !== 0) return 'lab rows skipped: needs root for network namespaces';
  const why = labUnavailable();
  return why ? `lab rows skipped: ${why}` : undefined;
}

export async function labSetting(log: (line: string) => void): Promise<RunningSetting> {
  const lab = await Lab.create({ publicHosts: 1, natHosts: [1], firewallHosts: [], emulate: ['r1'] });
  try {
    const limitPackets = Math.max(100, Math.ceil((RATE_MBIT * 1e6 * RTT_MS) / 1000 / 8 / 1514));
    await lab.link('r1').set('both', { delayMs: RTT_MS / 2, jitterMs: 0, lossPct: 0, rateMbit: RATE_MBIT, limitPackets, limitBytes: 0 });
    const h1a = lab.host('h1a');
    const r1 = lab.router('r1');
    const p1 = lab.host('p1');
    const proxy = labPlace(lab, lab.server.ns, SERVER_IPS[0], 'lab srv');
    const peer = labPlace(lab, h1a.ns, h1a.ip, 'lab h1a');
    const client = labPlace(lab, p1.ns, p1.ip, 'lab p1');
    const service = await startService(peer, LAB_SERVICE_PORT);
    // The socat row's inner socat is reached through a port forward on r1 (what p2prc and ssh avoid).
    await lab.execOk(r1.ns, ['iptables', '-I', 'FORWARD', '-i', 'wan', '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'ACCEPT']);
    let next = LAB_PORT_BASE;
    log(`lab ${lab.prefix}: client p1 ${p1.ip}, proxy srv ${SERVER_IPS[0]}, peer h1a ${h1a.ip} behind NAT r1 ${r1.wanIp}; r1's link ${RTT_MS} ms RTT, ${RATE_MBIT} Mbit/s, queue ${limitPackets} packets`);
    return {
      lab,
      setting: {
        where: 'lab', rttMs: RTT_MS, rateMbit: RATE_MBIT, proxy, peer, client, servicePort: service.port,
        proxyPort: async () => next++,
        serverArgs: ['--host', SERVER_IPS[0], '--port', String(LAB_SIGNAL_PORT), '--public-ip', SERVER_IPS[0]],
        peerArgs: [],
        inbound: async () => {
          const port = next++;
          await lab.execOk(r1.ns, ['iptables', '-t', 'nat', '-I', 'PREROUTING', '-i', 'wan', '-p', 'tcp', '--dport', String(port), '-j', 'DNAT', '--to-destination', `${h1a.ip}:${port}`]);
          return { bind: '0.0.0.0', port, host: r1.wanIp, dialPort: port };
        },
      },
      stop: async () => {
        await service.stop();
        await lab.destroy();
      },
    };
  } catch (err) {
    await lab.destroy();
    throw err;
  }
}
