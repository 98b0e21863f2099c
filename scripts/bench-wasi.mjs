// Runs a benchmark example compiled for wasm32-wasip1 under Node's WASI, so the same program
// measures the core natively and in wasm. Usage:
//   cargo build --release --target wasm32-wasip1 --example bench_matching
//   node scripts/bench-wasi.mjs bench_matching
import { fileURLToPath } from "node:url";
import { runWasi } from "./wasi-run.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const name = process.argv[2] ?? "bench_matching";
process.exitCode = await runWasi(`${root}target/wasm32-wasip1/release/examples/${name}.wasm`,
  process.argv.slice(3));
