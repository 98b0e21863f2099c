// Time slicing for the collect: work in slices of at most SLICE_MS, yielding to the page in
// between, so even a huge page gets no long task from us.
// scheduler.yield keeps our place in line; a private MessageChannel is the fallback (timers are
// throttled in background tabs; no window message).
const SLICE_MS = 8;
export function slicer() {
  let start = performance.now();
  const pause = () =>
    globalThis.scheduler && typeof scheduler.yield === "function"
      ? scheduler.yield()
      : new Promise((resolve) => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => resolve();
          ch.port2.postMessage(0);
        });
  return {
    due: () => performance.now() - start > SLICE_MS,
    async pause() {
      await pause();
      start = performance.now();
    },
  };
}
// The last resort for a page that rebuilds its fields faster than we can yield: one pass that
// nothing interrupts, so what it collects is one consistent state of the page.
export const UNSLICED = { due: () => false, pause: async () => {} };
export const SLICED_TRIES = 2;
