import { type ChainedEvent, GENESIS_HASH, canonicalJson, chainHash } from '../src/modules/audit/audit.chain';

/** The documented canonical form, pinned: changing it would break every chain already written. */
describe('the audit chain format', () => {
  const event: ChainedEvent = {
    seq: 1,
    projectId: '6f1c0f0e-8a2b-4c7d-9e3f-0a1b2c3d4e5f',
    actorUserId: '0b9e7d6c-5a4b-4c3d-8e2f-1a0b9c8d7e6f',
    actorTokenId: null,
    actorRole: 'CONTRIBUTOR',
    action: 'model_version.registered',
    entityType: 'ModelVersion',
    entityId: '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0',
    before: null,
    after: { version: 3, model: 'fraud', artifactDigest: 'sha256:ab', tags: ['b', 'a'], nested: { z: 1, a: 0.5 } },
    comment: 'é ✓',
    requestId: 'req-1',
    clientAddress: '127.0.0.1',
    userAgent: 'curl/8.5.0',
    occurredAt: '2026-11-26T12:00:00.000Z',
  };

  it('writes canonical JSON with keys sorted at every level and no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], u: undefined })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
    expect(canonicalJson(event)).toBe(
      '{"action":"model_version.registered","actorRole":"CONTRIBUTOR","actorTokenId":null,"actorUserId":"0b9e7d6c-5a4b-4c3d-8e2f-1a0b9c8d7e6f",' +
        '"after":{"artifactDigest":"sha256:ab","model":"fraud","nested":{"a":0.5,"z":1},"tags":["b","a"],"version":3},"before":null,' +
        '"clientAddress":"127.0.0.1","comment":"é ✓","entityId":"1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0","entityType":"ModelVersion",' +
        '"occurredAt":"2026-11-26T12:00:00.000Z","projectId":"6f1c0f0e-8a2b-4c7d-9e3f-0a1b2c3d4e5f","requestId":"req-1","seq":1,"userAgent":"curl/8.5.0"}',
    );
  });

  it('hashes sha256(prev_hash || canonical JSON) to a pinned value', () => {
    expect(chainHash(GENESIS_HASH, event)).toBe('6516ebde971e535a5b939300dcef48592ee9456730435197af2ce6ddb8e170cd');
  });
});
