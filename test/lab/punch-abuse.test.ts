/**
 * The punch as a flood cannon (issue #8, item 1), attacked in the NAT lab with
 * real processes: `p2prc server` on the server host, a victim `p2prc expose`
 * behind a NAT that makes it fit a punch role (an EIM NAT: the easy side; a
 * symmetric NAT: the hard side), an attacker on public host p1 that registers
 * with a raw WebSocket (punch-attacker.ts) and sends `punch` payloads naming a
 * third party (public host p2) as its own punch address, and on p2 an iptables
 * counter of every UDP datagram that arrives. The attacker sends no datagram
 * toward p2, so the victim may send none either: <= 1 victim datagram per
 * attacker datagram toward a third-party address. Before the fix one punch made
 * the victim spray ~6,000 datagrams over p2's ports (easy side), or 3,072 to
 * p2:53 (hard side).
 *
 * (Pure loopback cannot show this: there a victim measures "open internet" and
 * declines both roles, so the lab gives it a NAT that fits them.)
 * Needs root and iptables (skipped otherwise).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, cleanup, tmpDir, type Proc } from '../helpers.js';
import { Lab, SERVER_IPS, type LabHost } from './lab.js';
import { PEER_START_MS, SERVER_URL, labSkipReason, startLabServer } from './suite.js';

const ATTACKER = join(dirname(fileURLToPath(import.meta.url)), 'punch-attacker.js');
/** Punches per attack: enough that the old code's spray is unmistakable, few enough to stay within MAX_PUNCHES. */
const PUNCHES = 3;
/** One attack: each punch ends with the victim's fail (3 s run timeout) or the attacker's 8 s wait. */
const ATTACK_MS = 45_000;
const COMMENT = 'p2l-third-party';

describe('NAT lab: a peer cannot aim another peer\'s punch at a third party', { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  let thirdParty: LabHost;
  let attackerHost: LabHost;

  /** UDP datagrams that reached the third party since the counter was set to zero. */
  const received = async (): Promise<number> => {
    const text = await lab!.execOk(thirdParty.ns, ['iptables', '-w', '-nvxL', 'INPUT']);
    const line = text.split('\n').find((l) => l.includes(COMMENT));
    if (!line) throw new Error(`no counting rule on ${thirdParty.role}:\n${text}`);
    return Number(line.trim().split(/\s+/)[0]);
  };

  before(async () => {
    lab = await Lab.create({ publicHosts: 2, natHosts: [1, 1], firewallHosts: [], log: (l) => console.log(l) });
    await lab.setMode('r1', 'eim');
    await lab.setMode('r2', 'symmetric');
    attackerHost = lab.host('p1');
    thirdParty = lab.host('p2');
    await lab.execOk(thirdParty.ns, ['iptables', '-w', '-I', 'INPUT', '-p', 'udp', '-m', 'comment', '--comment', COMMENT]);
    await startLabServer(lab, ['--host', SERVER_IPS[0], '--alt-ip', SERVER_IPS[1], '--data-dir', tmpDir('p2prc-lab-srv-')]);
  }, { timeout: 90_000 });

  after(async () => {
    await lab?.destroy();
    await cleanup();
  });

  const cases = [
    { role: 'easy', host: 'h1a', mapping: /^endpoint-independent$/, what: 'spray the third party\'s ports' },
    { role: 'hard', host: 'h2a', mapping: /dependent$/, what: 'probe the third party\'s port 53 from every socket' },
  ] as const;

  for (const c of cases) {
    it(`a victim that would be the ${c.role} side does not ${c.what}`, { timeout: 120_000 }, async () => {
      const L = lab!;
      const victimHost = L.host(c.host);
      const name = `victim-${c.role}`;
      const procs: Proc[] = [];
      try {
        const ex = L.spawnNode(victimHost.ns, `expose:${name}@${c.host}`, CLI, ['--json', 'expose', 'echo=7000', '--name', name, '--server', SERVER_URL, '--data-dir', tmpDir('p2prc-lab-victim-')]);
        procs.push(ex);
        await ex.waitForEvent({ event: 'registered', peerId: /^[0-9a-f]{40}$/ }, PEER_START_MS);
        // The victim fits the role by its own measurement (else it declines, fix or not).
        await ex.waitForEvent({ event: 'nat', mapping: c.mapping }, 10_000);
        await L.execOk(thirdParty.ns, ['iptables', '-w', '-Z', 'INPUT']);
        const before = await received();
        const attacker = L.spawnNode(attackerHost.ns, `attacker@${attackerHost.role}`, ATTACKER, [SERVER_URL, name, thirdParty.ip, c.role, String(PUNCHES)]);
        procs.push(attacker);
        const done = await attacker.waitForEvent('done', ATTACK_MS);
        const got = (await received()) - before;
        const sent = Number(done.datagramsSent);
        console.log(`${c.role} victim: attacker sent ${PUNCHES} punches (${String(done.signalBytes)} signalling bytes, ${sent} datagrams); the third party ${thirdParty.ip} received ${got} datagrams; victim fails ${String(done.fails)}`);
        assert.ok(got <= sent, `the victim sent ${got} datagrams to ${thirdParty.ip} for the attacker's ${sent}\n${ex.dump()}`);
        // Refused with a reason in the victim's log, and the attacker was told.
        await ex.waitFor(/refusing to probe an address that is not the peer's/, 'any', 5000);
        assert.equal(done.fails, PUNCHES, 'each punch failed at the victim');
      } finally {
        for (const p of procs) await p.stop();
      }
    });
  }
});
