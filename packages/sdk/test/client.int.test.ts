import { PedigreeClient, PedigreeError } from '../src/client';
import { apiUrl, seedProject } from './utils/api';

const refused = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });

/** A fetch that fails with the given network errors first, then reaches the real API; it records each body sent. */
function flakyFetch(failures: string[]) {
  const bodies: string[] = [];
  const flaky: typeof fetch = async (input, init) => {
    bodies.push(String(init?.body));
    const failure = failures.shift();
    if (failure) throw refused(failure);
    return fetch(input, init);
  };
  return { flaky, bodies };
}

describe('PedigreeClient', () => {
  it('retries a network error with the same idempotency key, so the run is started once', async () => {
    const project = await seedProject();
    const { flaky, bodies } = flakyFetch(['ECONNRESET', 'ECONNRESET']);
    const client = new PedigreeClient({ url: apiUrl(), token: project.token, fetch: flaky, retryDelayMs: 1 });
    const run = await client.startRun({ project: project.key, experiment: 'retry', name: 'once' });
    expect(bodies).toHaveLength(3);
    const keys = bodies.map((body) => JSON.parse(body).variables.input.idempotencyKey);
    expect(new Set(keys).size).toBe(1);

    // A lost answer: the request arrived, the client retries, and gets the same run back.
    const again = await new PedigreeClient({ url: apiUrl(), token: project.token }).startRun({ project: project.key, experiment: 'retry', name: 'once', idempotencyKey: keys[0] });
    expect(again.id).toBe(run.id);
  });

  it('never repeats a metric batch that may have arrived, but does one that never left', async () => {
    const project = await seedProject();
    const run = await new PedigreeClient({ url: apiUrl(), token: project.token }).startRun({ project: project.key, experiment: 'retry' });
    const reset = flakyFetch(['ECONNRESET']);
    const resetClient = new PedigreeClient({ url: apiUrl(), token: project.token, fetch: reset.flaky, retryDelayMs: 1 });
    await expect(resetClient.logMetrics(run.id, [{ key: 'loss', value: 1 }])).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(reset.bodies).toHaveLength(1);

    const refusedOnce = flakyFetch(['ECONNREFUSED']);
    const refusedClient = new PedigreeClient({ url: apiUrl(), token: project.token, fetch: refusedOnce.flaky, retryDelayMs: 1 });
    expect(await refusedClient.logMetrics(run.id, [{ key: 'loss', value: 1 }])).toBe(1);
    expect(refusedOnce.bodies).toHaveLength(2);
  });

  it('does not retry what the API answered', async () => {
    const project = await seedProject();
    const { flaky, bodies } = flakyFetch([]);
    const client = new PedigreeClient({ url: apiUrl(), token: project.token, fetch: flaky });
    const error = await client.finishRun({ runId: '00000000-0000-4000-8000-000000000000', status: 'FINISHED' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(PedigreeError);
    expect(error.code).toBe('NOT_FOUND');
    expect(bodies).toHaveLength(1);
  });

  it('treats finishing an already finished run with the same status as done, after a lost answer', async () => {
    const project = await seedProject();
    const client = new PedigreeClient({ url: apiUrl(), token: project.token });
    const run = await client.startRun({ project: project.key, experiment: 'retry' });
    await client.finishRun({ runId: run.id, status: 'FINISHED' });
    expect((await client.finishRun({ runId: run.id, status: 'FINISHED' })).status).toBe('FINISHED');
    await expect(client.finishRun({ runId: run.id, status: 'FAILED' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('gives up after its retries with a message that names the URL', async () => {
    const client = new PedigreeClient({ url: 'http://127.0.0.1:9/graphql', retries: 2, retryDelayMs: 1 });
    await expect(client.findNodes('p', 'abcd')).rejects.toThrow('Cannot reach the Pedigree API at http://127.0.0.1:9');
  });
});
