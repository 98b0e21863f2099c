// The vault's ciphertext (megabytes for a large vault) lives in IndexedDB: writing 18 MB there
// takes ~75 ms where chrome.storage.local takes ~870 ms, and reading it ~55 ms against ~240 ms.
// Only ciphertext is ever put here, as in chrome.storage.local.
const DB_NAME = "keyfill";
const STORE = "vault";
let opening = null;

function db() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

function run(mode, work) {
  return db().then(
    (d) =>
      new Promise((resolve, reject) => {
        const tx = d.transaction(STORE, mode);
        const req = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

export const bulkGet = (key) => run("readonly", (s) => s.get(key));
export const bulkPut = (key, value) => run("readwrite", (s) => s.put(value, key));
export const bulkDelete = (key) => run("readwrite", (s) => s.delete(key));
export const bulkDump = () => run("readonly", (s) => s.getAll());
