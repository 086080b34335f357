import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDefaultGateway } from './gateway.js';
import { decodeResponse, encodeMapRequest } from './natpmp.js';
import { findWanService, parseSsdpLocation, soapEnvelope } from './upnp.js';

describe('port mapping codecs', () => {
  it('reads the default gateway from /proc/net/route', () => {
    const table = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n' +
      'eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\n' +
      'eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\n';
    assert.equal(parseDefaultGateway(table), '192.168.1.1');
    assert.equal(parseDefaultGateway('Iface\tDestination\tGateway\n'), undefined);
  });

  it('encodes NAT-PMP requests and decodes answers (RFC 6886)', () => {
    assert.deepEqual(encodeMapRequest('udp', 40000, 40000, 3600), Buffer.from('00010000' + '9c409c40' + '00000e10', 'hex'));
    const addr = Buffer.from('00800000' + '00000010' + 'cb007105', 'hex');
    assert.deepEqual(decodeResponse(addr, 0), { epoch: 16, address: '203.0.113.5' });
    const map = Buffer.from('00810000' + '00000010' + '9c40' + '9c41' + '00000e10', 'hex');
    assert.deepEqual(decodeResponse(map, 1).mapping, { internalPort: 40000, externalPort: 40001, lifetime: 3600, epoch: 16 });
    assert.throws(() => decodeResponse(Buffer.from('00810002' + '00000010' + '9c409c4100000e10', 'hex'), 1), /not authorized/);
    assert.throws(() => decodeResponse(Buffer.from('0082', 'hex'), 1), /not a NAT-PMP response/);
  });

  it('finds the WAN connection service of an IGD description', () => {
    assert.equal(parseSsdpLocation('HTTP/1.1 200 OK\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\nST: x\r\n'), 'http://192.168.1.1:5000/rootDesc.xml');
    const xml = `<root><device><serviceList>
      <service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/ctl/L3F</controlURL></service>
      <service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ctl/IPConn</controlURL></service>
    </serviceList></device></root>`;
    assert.deepEqual(findWanService(xml, 'http://192.168.1.1:5000/rootDesc.xml'), {
      location: 'http://192.168.1.1:5000/rootDesc.xml',
      serviceType: 'urn:schemas-upnp-org:service:WANIPConnection:1',
      controlUrl: 'http://192.168.1.1:5000/ctl/IPConn',
    });
    assert.equal(findWanService('<root/>', 'http://x/'), undefined);
    assert.match(soapEnvelope('urn:x', 'AddPortMapping', { NewPortMappingDescription: 'a<b' }), /<u:AddPortMapping xmlns:u="urn:x"><NewPortMappingDescription>a&lt;b<\/NewPortMappingDescription>/);
  });
});
