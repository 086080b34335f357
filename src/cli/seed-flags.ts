/**
 * The seed document's flags (`p2prc -s --reverse-proxy`, `--connect-reverse-proxy`,
 * `--view-rps`, `--view-rpm` and their long forms) rewritten to subcommands, so
 * the CLI has one implementation of each. Pure.
 */
export function rewriteSeedFlags(args: string[]): string[] {
  const has = (...f: string[]): boolean => f.some((x) => args.includes(x));
  const without = (...f: string[]): string[] => args.filter((a) => !f.includes(a));
  if (has('--view-rpm', '--view-reverse-proxy-mapping')) return ['view-rpm', ...without('--view-rpm', '--view-reverse-proxy-mapping')];
  if (has('--view-rps', '--view-reverse-proxy-servers')) return ['view-rps', ...without('--view-rps', '--view-reverse-proxy-servers')];
  const i = args.indexOf('--connect-reverse-proxy');
  if (i >= 0) {
    const url = args[i + 1];
    const rest = args.filter((_, k) => k !== i && k !== i + 1 && args[k] !== '-s');
    return ['expose', ...(url ? ['--server', url.includes('://') ? url : `ws://${url}`] : []), ...rest];
  }
  if (has('--reverse-proxy')) return ['server', ...without('-s', '--reverse-proxy')];
  return args;
}
