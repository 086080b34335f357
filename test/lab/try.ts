import { Lab } from './lab.js';
const lab = await Lab.create({ log: console.log });
console.log(lab.describe());
try {
  for (const h of lab.hosts) console.log(h.role, await lab.probe(h.ns, '203.0.113.50'), await lab.probe(h.ns, '203.0.113.1'));
  console.log(await lab.execOk(lab.router('r1').ns, ['iptables-save']));
} finally {
  await lab.destroy();
}
