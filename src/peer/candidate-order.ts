/**
 * Which of the peer's ICE candidates reach libjuice first (pure). libjuice paces
 * its STUN transactions 50 ms apart and arms a new check, triggered checks too,
 * after every transaction already scheduled within 50 ms of it: each remote
 * candidate adds one check (two with a relay of our own, plus a TURN
 * CreatePermission), so the candidates given first set the order, and a peer's
 * triggered check, the answer to our first check across two NATs, waits behind
 * every check queued before it. Measured in the NAT lab at 50 ms RTT: the
 * answerer's triggered check 100 ms late behind checks of private host addresses
 * (unreachable across NATs) and of relay pairs, and the whole setup with it.
 *
 * So candidates likely to give a direct path across NATs go first (`early`:
 * server- and peer-reflexive ones, host candidates on public or loopback
 * addresses); host candidates on private, CGNAT or link-local addresses (a path
 * only on a shared LAN) and relayed ones (the fallback) go `late`: shortly after,
 * see CandidateGate. A peer behind our own NAT (its server-reflexive address is
 * ours) gets them at once: on a shared LAN its host candidates are the path.
 */

/** The first octets of IPv4 ranges that are not globally routed: private, CGNAT, link-local. */
function privateIPv4(a: string): boolean {
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(a);
  if (!m) return false;
  const x = Number(m[1]);
  const y = Number(m[2]);
  return x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127) || (x === 169 && y === 254);
}

function privateIPv6(a: string): boolean {
  const l = a.toLowerCase();
  return /^f[cd][0-9a-f]{2}:/.test(l) || /^fe[89ab][0-9a-f]:/.test(l);
}

/** The address of a server-reflexive candidate line, else undefined. */
export function srflxAddress(line: string): string | undefined {
  if (!/\btyp\s+srflx\b/i.test(line)) return undefined;
  return line.replace(/^a=/, '').trim().split(/\s+/)[4];
}

/** `early` or `late` for a candidate line (`a=candidate:...` or `candidate:...`). */
export function candidateOrder(line: string): 'early' | 'late' {
  const f = line.replace(/^a=/, '').trim().split(/\s+/);
  const address = f[4] ?? '';
  const type = /\btyp\s+([a-z]+)/i.exec(line)?.[1]?.toLowerCase();
  if (type === 'relay') return 'late';
  if (type !== 'host') return 'early';
  // mDNS names (.local) are LAN-only too.
  if (address.endsWith('.local') || privateIPv4(address) || privateIPv6(address)) return 'late';
  return 'early';
}
