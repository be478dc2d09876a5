// Polling for a condition another party (a server, a child process) makes true. Tests wait on
// outcomes, not on fixed sleeps, so they stay fast on quick machines and correct on slow ones.

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
