// Runs a benchmark example compiled for wasm32-wasip1 under Node's WASI, so the same program
// measures the core natively and in wasm. Usage:
//   cargo build --release --target wasm32-wasip1 --example bench_matching
//   node scripts/bench-wasi.mjs bench_matching
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const name = process.argv[2] ?? "bench_matching";
const wasi = new WASI({ version: "preview1", args: [name, ...process.argv.slice(3)], env: process.env,
  preopens: { ".": root } });
const module = await WebAssembly.compile(readFileSync(`${root}target/wasm32-wasip1/release/examples/${name}.wasm`));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
wasi.start(instance);
