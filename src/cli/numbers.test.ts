import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError, type Option } from 'commander';
import { numericOption, parseCount, parsePort, parsePortRange } from './numbers.js';
import { buildProgram } from './main.js';

const rejects = (parse: (v: string) => unknown, value: string, message: RegExp): void =>
  assert.throws(
    () => parse(value),
    (err: unknown) => err instanceof InvalidArgumentError && message.test(err.message),
    `${JSON.stringify(value)} should be refused`,
  );

describe('numeric flags', () => {
  it('parses ports 0 to 65535 and refuses anything else', () => {
    assert.equal(parsePort('0'), 0);
    assert.equal(parsePort('8088'), 8088);
    assert.equal(parsePort('65535'), 65535);
    for (const bad of ['', 'abc', '-1', '65536', '99999999999999999999', '1.5', '1e3', '0x10', ' 80', '80 ', '+80', '8088abc'])
      rejects(parsePort, bad, /^Expected a port number, 0 to 65535\.$/);
  });
  it('parses counts as whole numbers, 0 or more', () => {
    assert.equal(parseCount('0'), 0);
    assert.equal(parseCount('1000'), 1000);
    assert.equal(parseCount('9007199254740991'), Number.MAX_SAFE_INTEGER);
    for (const bad of ['', 'x', '-1', '2.5', '1e6', '9007199254740992', 'Infinity']) rejects(parseCount, bad, /^Expected a whole number, 0 or more\.$/);
  });
  it('parses MIN-MAX port ranges that can be bound, MIN <= MAX', () => {
    assert.deepEqual(parsePortRange('49152-65535'), { min: 49152, max: 65535 });
    assert.deepEqual(parsePortRange('1-1'), { min: 1, max: 1 });
    for (const bad of ['', '5000', '5000-', '-5000', '6000-5000', '0-10', '1-65536', '1-2-3', 'a-b', '5000 - 6000', '5000-6000x'])
      rejects(parsePortRange, bad, /^Expected MIN-MAX, two port numbers with 1 <= MIN <= MAX <= 65535\.$/);
  });
  it('parses a default given as text and still shows that text in help', () => {
    const o = numericOption('--port <port>', 'a port', parsePort, '8088');
    assert.equal(o.defaultValue, 8088);
    assert.equal(o.defaultValueDescription, '"8088"');
    assert.equal(o.parseArg?.('9', undefined), 9);
    assert.equal(numericOption('--n <n>', 'a count', parseCount).defaultValue, undefined);
  });
  it('gives the server command parsed defaults', () => {
    const server = buildProgram().commands.find((c) => c.name() === 'server');
    assert.ok(server);
    const defaults = Object.fromEntries(server.options.map((o: Option) => [o.attributeName(), o.defaultValue]));
    assert.equal(defaults.port, 8088);
    assert.equal(defaults.stunPort, 3478);
    assert.deepEqual(defaults.relayPorts, { min: 49152, max: 65535 });
    assert.equal(defaults.maxAllocations, 1000);
    assert.equal(defaults.maxAllocationsPerUser, 10);
    assert.equal(defaults.relayBandwidth, undefined);
  });
});
