// Hooks for the browser tests and benchmarks, in the test build (dist-test/) only: the build
// writes a worker entry that imports the worker, then this module. dist/ has neither.
// Only code running inside the worker can reach them.
import { fillFromGesture } from "./worker.js";
import { keepWipedMemory, memoryBuffers } from "./core.js";
import { bulkDump } from "./bulk-store.js";
import { ROUTES } from "./router.js";

// Headless Chromium cannot press browser shortcuts: the same path the command takes.
self.keyfillGesture = fillFromGesture;
// Tests search the wasm memory, the live one and the one wiped last, for secrets after lock
// ("lock means gone").
keepWipedMemory();
self.keyfillMemory = memoryBuffers;
// Tests search everything stored on disk for plaintext: chrome.storage.local and IndexedDB.
self.keyfillStored = async () => JSON.stringify([await chrome.storage.local.get(null), await bulkDump()]);
// Every message type the router knows, by sender: the privilege tests try each one.
self.keyfillRoutes = ROUTES;
