/**
 * The `ssh -R` row's OpenSSH: an sshd of its own (its own config, a host key
 * and a throwaway client key pair generated into a temp dir, the client's
 * public key as the only authorized key) and the matching client arguments.
 * Nothing of the system's ssh configuration is read: sshd gets `-f` our file,
 * ssh gets `-F /dev/null`; the temp host is not checked or remembered
 * (StrictHostKeyChecking off, known hosts /dev/null).
 *
 * GatewayPorts: `clientspecified`, and the client asks for the proxy's address,
 * so the remote forward binds that address only (with `yes` sshd binds the
 * wildcard, which on loopback would be every interface of this machine).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

/** Why the ssh row cannot run here, or undefined. */
export function sshUnavailable(): string | undefined {
  if (!existsSync(SSHD)) return 'ssh -R row skipped: sshd is not installed (Debian: apt-get install openssh-server)';
  const r = spawnSync('ssh', ['-V'], { encoding: 'utf8', timeout: 5000 });
  if (r.error || r.status !== 0) return 'ssh -R row skipped: ssh is not installed (Debian: apt-get install openssh-client)';
  return undefined;
}

/** `OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.x` (ssh -V prints to stderr). */
export function sshVersion(): string {
  const r = spawnSync('ssh', ['-V'], { encoding: 'utf8', timeout: 5000 });
  return (r.stderr || r.stdout).trim();
}

/** The cipher the client offers first (what two default OpenSSH ends agree on). */
export function sshCipher(): string {
  const r = spawnSync('ssh', ['-G', '-F', '/dev/null', 'bench.invalid'], { encoding: 'utf8', timeout: 5000 });
  return /^ciphers (\S+?)(,|$)/m.exec(r.stdout)?.[1] ?? 'unknown';
}

export interface SshKeys {
  dir: string;
  config: string;
  clientKey: string;
}

/** Keys and sshd_config for an sshd on `address:port`, in `dir`. */
export function prepareSshd(dir: string, address: string, port: number): SshKeys {
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  for (const f of [hostKey, clientKey]) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'p2prc-bench', '-f', f], { stdio: 'ignore', timeout: 10_000 });
  const auth = join(dir, 'authorized_keys');
  execFileSync('cp', [`${clientKey}.pub`, auth]);
  // sshd started as root checks for its privilege separation directory (Debian's service creates it).
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress ${address}:${port}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${auth}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AllowUsers ${userInfo().username}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding remote',
      'GatewayPorts clientspecified',
      'X11Forwarding no',
      'PermitTTY no',
      'UseDNS no',
      // The idle row holds hundreds of forwarded connections in one session.
      'MaxSessions 10',
      'LogLevel INFO',
      '',
    ].join('\n'),
  );
  return { dir, config, clientKey };
}

/** sshd in the foreground, logging to stderr. */
export function sshdArgs(k: SshKeys): string[] {
  return ['-D', '-e', '-f', k.config];
}

/** `ssh -N -R ADDRESS:0:127.0.0.1:SERVICE` to the sshd: it prints the port it got ("Allocated port N"). */
export function sshClientArgs(k: SshKeys, sshdAddress: string, sshdPort: number, publicAddress: string, servicePort: number): string[] {
  return [
    '-N', '-F', '/dev/null', '-i', k.clientKey, '-p', String(sshdPort),
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'ExitOnForwardFailure=yes', '-o', 'LogLevel=INFO',
    '-R', `${publicAddress}:0:127.0.0.1:${servicePort}`,
    `${userInfo().username}@${sshdAddress}`,
  ];
}

/** The port sshd allocated for the remote forward, from the client's "Allocated port N for remote forward" line. */
export const ALLOCATED_RE = /Allocated port (\d+) for remote forward/;
