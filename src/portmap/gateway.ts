/** The IPv4 default gateway and the local address that reaches it (Linux: /proc/net/route). */
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';

/** Parse /proc/net/route text: the gateway of the default route, or undefined. Pure. */
export function parseDefaultGateway(routeTable: string): string | undefined {
  for (const line of routeTable.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || f[1] !== '00000000' || f[2] === '00000000') continue;
    const hex = f[2]!;
    // Little-endian hex: 0101A8C0 is 192.168.1.1.
    const bytes = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return bytes.join('.');
  }
  return undefined;
}

export function defaultGateway(): string | undefined {
  try {
    return parseDefaultGateway(readFileSync('/proc/net/route', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The local address the kernel would use to reach `target` (no packet is sent). */
export async function localAddressFor(target: string): Promise<string> {
  const s = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.connect(9, target, () => resolve());
    });
    return s.address().address;
  } finally {
    s.close();
  }
}
