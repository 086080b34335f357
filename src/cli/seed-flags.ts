/**
 * The seed document's flags (`p2prc -s --reverse-proxy`, `--connect-reverse-proxy`,
 * `--view-rps`, `--view-rpm` and their long forms) rewritten to subcommands, so
 * the CLI has one implementation of each. Pure.
 */
const SUBCOMMANDS = new Set(['server', 'expose', 'connect', 'peers', 'nat', 'view-rpm', 'view-reverse-proxy-mapping', 'view-rps', 'view-reverse-proxy-servers', 'release-name', 'bench', 'help']);

export function rewriteSeedFlags(args: string[]): string[] {
  // With a subcommand it is not the seed's form (`p2prc --json server --reverse-proxy` is already one).
  if (args.some((a) => SUBCOMMANDS.has(a))) return args;
  const has = (...f: string[]): boolean => f.some((x) => args.includes(x));
  const without = (...f: string[]): string[] => args.filter((a) => !f.includes(a));
  if (has('--view-rpm', '--view-reverse-proxy-mapping')) return ['view-rpm', ...without('--view-rpm', '--view-reverse-proxy-mapping')];
  if (has('--view-rps', '--view-reverse-proxy-servers')) return ['view-rps', ...without('--view-rps', '--view-reverse-proxy-servers')];
  const i = args.indexOf('--connect-reverse-proxy');
  if (i >= 0) {
    const url = args[i + 1];
    const rest = args.filter((_, k) => k !== i && k !== i + 1 && args[k] !== '-s');
    return ['expose', '--public', ...(url ? ['--server', proxyUrl(url)] : []), ...rest];
  }
  if (has('--reverse-proxy')) return ['server', '--reverse-proxy', ...without('-s', '--reverse-proxy')];
  return args;
}

/**
 * The seed's proxy address as a signal server URL: `203.0.113.5` and
 * `proxy.example` get the default signalling port, `host:port` gets ws://, a
 * URL and `auto` are kept.
 */
export function proxyUrl(address: string, defaultPort = 8088): string {
  if (address === 'auto' || address.includes('://')) return address;
  const bracketed = /^\[[^\]]+\](:\d+)?$/.test(address);
  const bareV6 = !bracketed && (address.match(/:/g)?.length ?? 0) > 1;
  if (bareV6) return `ws://[${address}]:${defaultPort}`;
  const hasPort = bracketed ? /\]:\d+$/.test(address) : /:\d+$/.test(address);
  return `ws://${address}${hasPort ? '' : `:${defaultPort}`}`;
}
