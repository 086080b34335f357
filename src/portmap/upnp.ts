/**
 * UPnP IGD client: SSDP discovery, then SOAP AddPortMapping /
 * GetExternalIPAddress / DeletePortMapping on the router's WAN*Connection
 * service. Uses Node's own fetch and dgram; XML is read with small regexes,
 * which is enough for IGD descriptions (pure helpers below are tested).
 */
import { createSocket } from 'node:dgram';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

const SSDP_ADDR = '239.255.255.250';
const SSDP_PORT = 1900;
const SERVICE_TYPES = ['urn:schemas-upnp-org:service:WANIPConnection:2', 'urn:schemas-upnp-org:service:WANIPConnection:1', 'urn:schemas-upnp-org:service:WANPPPConnection:1'];

export interface IgdService {
  location: string;
  serviceType: string;
  controlUrl: string;
}

/** LOCATION header of an SSDP response (pure). */
export function parseSsdpLocation(text: string): string | undefined {
  return /^location:\s*(\S+)/im.exec(text)?.[1];
}

/** The WAN connection service and absolute control URL in a device description (pure). */
export function findWanService(xml: string, location: string): IgdService | undefined {
  const base = /<URLBase>\s*([^<\s]+)\s*<\/URLBase>/i.exec(xml)?.[1] ?? location;
  const services = xml.split(/<service>/i).slice(1);
  for (const type of SERVICE_TYPES) {
    for (const svc of services) {
      if (!svc.includes(type)) continue;
      const ctl = /<controlURL>\s*([^<\s]+)\s*<\/controlURL>/i.exec(svc)?.[1];
      if (ctl) return { location, serviceType: type, controlUrl: new URL(ctl, base).toString() };
    }
  }
  return undefined;
}

export function soapEnvelope(serviceType: string, action: string, args: Record<string, string | number>): string {
  const body = Object.entries(args)
    .map(([k, v]) => `<${k}>${String(v).replace(/[<&>]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)}</${k}>`)
    .join('');
  return `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:${action} xmlns:u="${serviceType}">${body}</u:${action}></s:Body></s:Envelope>`;
}

/** Search for an Internet Gateway Device; resolves with its WAN service. */
export async function discoverIgd(timeoutMs = 2000): Promise<IgdService> {
  const s = createSocket({ type: 'udp4', reuseAddr: true });
  const locations: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(0, () => resolve());
    });
    s.on('message', (m) => {
      const loc = parseSsdpLocation(m.toString());
      if (loc && !locations.includes(loc)) locations.push(loc);
    });
    const search = ['urn:schemas-upnp-org:device:InternetGatewayDevice:1', 'urn:schemas-upnp-org:device:InternetGatewayDevice:2'].map((st) =>
      Buffer.from(`M-SEARCH * HTTP/1.1\r\nHOST: ${SSDP_ADDR}:${SSDP_PORT}\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ${st}\r\n\r\n`),
    );
    const deadline = Date.now() + timeoutMs;
    for (let round = 0; round < 3 && Date.now() < deadline && locations.length === 0; round++) {
      for (const m of search) s.send(m, SSDP_PORT, SSDP_ADDR);
      await new Promise((r) => setTimeout(r, Math.min(timeoutMs / 3, deadline - Date.now())));
    }
  } finally {
    s.close();
  }
  for (const location of locations) {
    try {
      const res = await fetch(location, { signal: AbortSignal.timeout(timeoutMs) });
      const svc = findWanService(await res.text(), location);
      if (svc) return svc;
    } catch {
      /* try the next one */
    }
  }
  throw new P2prcError(ErrorCode.PortMapFailed, locations.length ? 'UPnP devices answered, but none is an Internet Gateway Device' : 'no UPnP Internet Gateway Device answered');
}

async function soap(svc: IgdService, action: string, args: Record<string, string | number>, timeoutMs = 3000): Promise<string> {
  const res = await fetch(svc.controlUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset="utf-8"', soapaction: `"${svc.serviceType}#${action}"` },
    body: soapEnvelope(svc.serviceType, action, args),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) {
    const desc = /<errorDescription>([^<]*)<\/errorDescription>/i.exec(text)?.[1];
    const code = /<errorCode>([^<]*)<\/errorCode>/i.exec(text)?.[1];
    throw new P2prcError(ErrorCode.PortMapFailed, `UPnP ${action} failed: ${code ?? res.status} ${desc ?? res.statusText}`);
  }
  return text;
}

export async function upnpExternalAddress(svc: IgdService): Promise<string> {
  const text = await soap(svc, 'GetExternalIPAddress', {});
  const ip = /<NewExternalIPAddress>\s*([^<\s]*)\s*</i.exec(text)?.[1];
  if (!ip) throw new P2prcError(ErrorCode.BadResponse, 'UPnP GetExternalIPAddress: no address in the answer');
  return ip;
}

export async function upnpMap(svc: IgdService, o: { protocol: 'udp' | 'tcp'; internalClient: string; internalPort: number; externalPort: number; lifetime: number; description: string }): Promise<void> {
  await soap(svc, 'AddPortMapping', {
    NewRemoteHost: '',
    NewExternalPort: o.externalPort,
    NewProtocol: o.protocol.toUpperCase(),
    NewInternalPort: o.internalPort,
    NewInternalClient: o.internalClient,
    NewEnabled: 1,
    NewPortMappingDescription: o.description,
    NewLeaseDuration: o.lifetime,
  });
}

export async function upnpUnmap(svc: IgdService, protocol: 'udp' | 'tcp', externalPort: number): Promise<void> {
  await soap(svc, 'DeletePortMapping', { NewRemoteHost: '', NewExternalPort: externalPort, NewProtocol: protocol.toUpperCase() });
}
