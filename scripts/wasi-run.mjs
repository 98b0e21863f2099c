// Runs a wasm32-wasip1 program under Node's WASI, with the checkout as its working directory:
// cargo's runner for the core's unit tests in wasm (scripts/test.sh), and the benchmarks'.
//   node scripts/wasi-run.mjs PROGRAM.wasm [ARGS...]
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

export async function runWasi(file, args) {
  const wasi = new WASI({ version: "preview1", returnOnExit: true, args: [file, ...args],
    env: process.env, preopens: { ".": root } });
  const module = await WebAssembly.compile(readFileSync(file));
  return wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runWasi(process.argv[2], process.argv.slice(3));
}
