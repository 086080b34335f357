import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Identity } from '../src/identity/keys.js';
import { PROTOCOL_VERSION, registerChallenge, type RegisterMessage } from '../src/protocol/messages.js';
import { P2prcError } from '../src/protocol/errors.js';
import { Registry } from './registry.js';
import { checkRegister } from './register.js';

const NONCE = 'server-nonce-1';

function registerMsg(id: Identity, name: string, over: Partial<RegisterMessage> = {}): RegisterMessage {
  return { type: 'register', v: PROTOCOL_VERSION, name, publicKey: id.publicKey, signature: id.sign(registerChallenge(NONCE, name)), ...over };
}

function code(r: unknown): string | undefined {
  return r instanceof P2prcError ? r.code : undefined;
}

describe('checkRegister', () => {
  it('admits a peer that signs the nonce with its key: peer id from the key', () => {
    const id = Identity.generate();
    const r = checkRegister(registerMsg(id, 'alice'), NONCE, undefined, new Registry());
    assert.deepEqual(r, { peerId: id.peerId, name: 'alice', publicKey: id.publicKey });
  });

  it('refuses a signature over another nonce (a replayed register)', () => {
    const id = Identity.generate();
    const msg = registerMsg(id, 'alice');
    assert.equal(code(checkRegister(msg, 'another-nonce', undefined, new Registry())), 'bad-signature');
  });

  it('refuses a key that did not make the signature', () => {
    const id = Identity.generate();
    const other = Identity.generate();
    const msg = registerMsg(id, 'alice', { publicKey: other.publicKey });
    assert.equal(code(checkRegister(msg, NONCE, undefined, new Registry())), 'bad-signature');
  });

  it('checks the secret when the server has one, and says which case it is', () => {
    const id = Identity.generate();
    const none = checkRegister(registerMsg(id, 'a'), NONCE, 's3cret', new Registry());
    assert.equal(code(none), 'bad-secret');
    assert.match((none as P2prcError).message, /requires a secret/);
    const wrong = checkRegister(registerMsg(id, 'a', { secret: 'nope' }), NONCE, 's3cret', new Registry());
    assert.equal(code(wrong), 'bad-secret');
    assert.match((wrong as P2prcError).message, /wrong secret/);
    assert.equal(code(checkRegister(registerMsg(id, 'a', { secret: 's3cret' }), NONCE, 's3cret', new Registry())), undefined);
  });

  it('refuses another protocol version', () => {
    const id = Identity.generate();
    assert.equal(code(checkRegister(registerMsg(id, 'a', { v: PROTOCOL_VERSION + 1 }), NONCE, undefined, new Registry())), 'unsupported-version');
  });

  it('refuses a name held by an online peer with another key, and lets the same key take it again', () => {
    const reg = new Registry();
    const holder = Identity.generate();
    reg.add({ peerId: holder.peerId, name: 'alice', publicKey: holder.publicKey }, {});
    const thief = Identity.generate();
    const r = checkRegister(registerMsg(thief, 'alice'), NONCE, undefined, reg);
    assert.equal(code(r), 'name-taken');
    assert.match((r as P2prcError).message, new RegExp(holder.peerId));
    assert.equal(code(checkRegister(registerMsg(holder, 'alice'), NONCE, undefined, reg)), undefined);
  });
});

describe('checkRegister with the name book', () => {
  it('refuses a name bound to another key even when its holder is offline, and says how it is released', async () => {
    const { NameBook } = await import('./names.js');
    const alice = Identity.generate();
    const squatter = Identity.generate();
    const book = new NameBook();
    book.seen('alice', alice.peerId, alice.publicKey);
    const r = checkRegister(registerMsg(squatter, 'alice'), NONCE, undefined, new Registry(), book, { idle: '30 days', command: 'p2prc release-name --data-dir /srv' });
    assert.equal(code(r), 'name-taken');
    assert.match((r as Error).message, /bound to peer [0-9a-f]{40} .*released after 30 days offline, or by the server operator \(p2prc release-name --data-dir \/srv alice\)/);
    assert.equal(code(checkRegister(registerMsg(alice, 'alice'), NONCE, undefined, new Registry(), book)), undefined);
  });
});
