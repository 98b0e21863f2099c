// ESLint (flat config) for the extension's JavaScript, the browser tests and the scripts:
// the recommended rules plus a few that catch slips review misses. scripts/test.sh runs it.
import js from "@eslint/js";
import globals from "globals";

export default [
  // Build outputs and the generated wasm glue are not ours to lint.
  { ignores: ["extension/pkg/**", "dist/**", "dist-test/**", "target/**", "node_modules/**"] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: "module" },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      // `x == null` is the one loose comparison kept: it means null or undefined.
      eqeqeq: ["error", "always", { null: "ignore" }],
      // An empty catch marks a failure that is deliberately ignored.
      "no-empty": ["error", { allowEmptyCatch: true }],
      "no-implicit-globals": "error",
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    files: ["extension/**/*.js"],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    // Node, plus the browser's globals for the functions the tests send into pages.
    files: ["tests/**/*.mjs", "scripts/**/*.mjs", "eslint.config.js"],
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.webextensions } },
  },
];
