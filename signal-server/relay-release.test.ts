import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RelayRelease } from './relay-release.js';

describe('RelayRelease', () => {
  it('a departed peer is pending (credentials still work) for the grace, then released; a return cancels it', async () => {
    const released: string[] = [];
    const r = new RelayRelease((id) => released.push(id), 30);
    r.schedule('alice');
    r.schedule('bob');
    assert.equal(r.pending('alice'), true);
    r.cancel('bob');
    assert.equal(r.pending('bob'), false);
    await new Promise((res) => setTimeout(res, 80));
    assert.deepEqual(released, ['alice']);
    assert.equal(r.pending('alice'), false, 'past the grace: no longer counted as online');
    r.clear();
  });
});
