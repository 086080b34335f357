/** `p2prc nat` against our server with an alternate address, on loopback (no NAT in the path). */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI, cleanup, startSignal, type SignalProc } from './helpers.js';

describe('p2prc nat on loopback', () => {
  let s: SignalProc;
  before(async () => {
    s = await startSignal(['--alt-ip', '127.0.0.2']);
  });
  after(cleanup);

  it('reports the public address and no NAT, human and --json', async () => {
    // --no-portmap: nothing may go to this machine's real gateway or LAN (no SSDP, no NAT-PMP).
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, '--json', 'nat', '--server', s.url, '--bind', '127.0.0.1', '--no-portmap']);
    const r = JSON.parse(stdout) as { publicAddress: { address: string }; natted: boolean; mapping: string; filtering: string; behaviourDiscovery: boolean; classic: string };
    assert.equal(r.publicAddress.address, '127.0.0.1');
    assert.equal(r.natted, false);
    assert.equal(r.behaviourDiscovery, true);
    assert.equal(r.filtering, 'endpoint-independent');
    assert.equal(r.classic, 'open internet (no NAT)');
    const human = await promisify(execFile)(process.execPath, [CLI, 'nat', '--stun', `127.0.0.1:${s.stunPort}`, '--bind', '127.0.0.1', '--no-portmap']);
    assert.match(human.stdout, /public address\s+127\.0\.0\.1:\d+ \(no NAT\)/);
    assert.match(human.stdout, /UPnP IGD\s+not checked/);
  });

  it('answers CHANGE-REQUEST from the alternate address (RFC 5780), as coturn\'s natdiscovery sees it', async () => {
    const { stdout } = await promisify(execFile)('turnutils_natdiscovery', ['-f', '-p', String(s.stunPort), '127.0.0.1'], { timeout: 30_000 });
    assert.match(stdout, /Response origin: : 127\.0\.0\.2:\d+|Other addr: : 127\.0\.0\.2:\d+/);
    assert.match(stdout, /NAT with Endpoint Independent Filtering/);
  });
});
