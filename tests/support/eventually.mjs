// Waiting for work the server finishes after answering: notifications of new
// posts are written by the outbox worker a few milliseconds after the reply.
import assert from 'node:assert/strict';

// Calls `probe` (sync or async) every `interval` ms until it returns a truthy
// value, and returns that value. Fails after `timeout` ms, showing the last
// value, so a wait can never hang a test nor pass by accident.
export async function eventually(probe, { timeout = 5000, interval = 10, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) {
      assert.fail(`${what} did not hold within ${timeout} ms (last: ${JSON.stringify(value)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
