import { hasExited, sleep, type ManagedProcess } from './processes';

/**
 * Polls `url` until it answers 200. Gives up early, with the server's output, if `server` exits,
 * so a crash at start-up reads as a crash rather than as a timeout.
 */
export async function waitForUrl(url: string, server: ManagedProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (hasExited(server)) {
      throw new Error(`${server.name} exited before ${url} answered 200. Its output:\n${server.outputTail()}`);
    }
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(
    `${url} did not answer 200 within ${timeoutMs} ms (last: ${lastProblem}). ${server.name} output:\n${server.outputTail()}`,
  );
}
