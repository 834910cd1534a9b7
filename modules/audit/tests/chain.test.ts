import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH, storedJson } from '../chain';

describe('canonical JSON and the entry hash, as README.md defines them', () => {
  it('sorts keys at every level, drops undefined members, keeps arrays in order, adds no white space', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é\n' }], c: undefined } })).toBe('{"a":{"d":[3,{"y":"é\\n","z":null}]},"b":1}');
    expect(canonicalJson({ B: 1, a: 2, _: 3 })).toBe('{"B":1,"_":3,"a":2}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(storedJson(undefined)).toBeNull();
    expect(storedJson({ when: new Date(0), x: undefined })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
  });

  it('hashes the example in the README to what any SHA-256 tool gives for prev_hash + content', () => {
    const content = '{"action":"renamed","actorId":"operator:ann","actorName":"Ann","afterJson":"{\\"name\\":\\"QA\\"}","at":1772438400000,"beforeJson":"{\\"name\\":\\"QC\\"}","entity":"department","entityId":"QC","seq":1}';
    const byHand = createHash('sha256').update(GENESIS_HASH + content).digest('hex');
    expect(byHand).toBe('19cbe136345004ce4db5b8bdaf74b021d2671e66fb8e42d1dd9bcb4061c2ab07');
    expect(
      entryHash(GENESIS_HASH, { seq: 1, at: 1772438400000, actorId: 'operator:ann', actorName: 'Ann', entity: 'department', entityId: 'QC', action: 'renamed', beforeJson: '{"name":"QC"}', afterJson: '{"name":"QA"}' }),
    ).toBe(byHand);
  });
});
