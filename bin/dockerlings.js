#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm run build writes dist/).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/cli/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write("dockerlings: the CLI is not built yet. Run `npm install` (or `npm run build`) in the project folder.\n");
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv);
