// Time slicing for the collect: work in slices of at most SLICE_MS, yielding to the page in
// between, so even a huge page gets no long task from us.
// scheduler.yield keeps our place in line; a private MessageChannel is the fallback (timers are
// throttled in background tabs; no window message).
const SLICE_MS = 8;
// The test build (dist-test) times each slice as a performance measure named "keyfill:slice",
// which the benchmark reads from the page (scripts/bench-extension.mjs). The build defines the
// flag; in the shipped build it is undefined and nothing reaches the page's timeline.
const TIMING = globalThis.__KEYFILL_TIMING__ === true;

const nextTask = (f) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => f();
  ch.port2.postMessage(0);
};

export function slicer() {
  let start = performance.now();
  let last = start; // the latest due() check: the slice that ends the collect ends about there
  let slice = 0;
  let watched = -1;
  const measure = (end) => performance.measure("keyfill:slice", { start, end });
  const pause = () =>
    globalThis.scheduler && typeof scheduler.yield === "function"
      ? scheduler.yield()
      : new Promise((resolve) => nextTask(resolve));
  return {
    due() {
      last = performance.now();
      if (TIMING && watched !== slice) {
        // A slice that no pause ends is the last one: time it once its task is over.
        const mine = (watched = slice);
        nextTask(() => mine === slice && measure(last));
      }
      return last - start > SLICE_MS;
    },
    async pause() {
      if (TIMING) measure(performance.now());
      slice++;
      await pause();
      start = performance.now();
    },
  };
}
// The last resort for a page that rebuilds its fields faster than we can yield: one pass that
// nothing interrupts, so what it collects is one consistent state of the page.
export const UNSLICED = { due: () => false, pause: async () => {} };
export const SLICED_TRIES = 2;
