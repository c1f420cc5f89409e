#!/usr/bin/env node
// How often our lint agrees with hadolint's own rule specs, for the codes we
// implement. Reads the specs from a hadolint checkout given on the command
// line (nothing of hadolint is kept in this project): each
// `ruleCatches` / `ruleCatchesNot` / `onBuildRuleCatches[Not]` case with its
// Dockerfile (a string literal or a `Text.unlines [...]` list), then lints
// it. The ONBUILD variants wrap every RUN in ONBUILD and expect exactly one
// finding, as hadolint's helpers do.
//   node scripts/hadolint-agreement.js <hadolint checkout> [-v]
import fs from "node:fs";
import path from "node:path";
import { tsImport } from "tsx/esm/api";

const [checkout, verbose] = process.argv.slice(2);
if (!checkout) {
  process.stderr.write("usage: node scripts/hadolint-agreement.js <hadolint checkout> [-v]\n");
  process.exit(2);
}
const { lint_dockerfile, LINT_RULES } = await tsImport("../grader/index.ts", import.meta.url);

/** A Haskell string literal at `i` (escapes and string gaps), and where it ends. */
function read_string(text, i) {
  let out = "";
  i++;
  for (;;) {
    const c = text[i];
    if (c === undefined) throw new Error("unterminated string");
    if (c === '"') return [out, i + 1];
    if (c === "\\") {
      const next = text[i + 1];
      if (/\s/.test(next)) {
        i = text.indexOf("\\", i + 1) + 1; // a string gap
        continue;
      }
      const simple = { n: "\n", t: "\t", '"': '"', "\\": "\\", "'": "'", "&": "" }[next];
      if (simple !== undefined) {
        out += simple;
        i += 2;
        continue;
      }
      const digits = /^\d+/.exec(text.slice(i + 1));
      if (digits) {
        out += String.fromCharCode(Number(digits[0]));
        i += 1 + digits[0].length;
        continue;
      }
      throw new Error(`escape \\${next}`);
    }
    out += c;
    i++;
  }
}

/** A list of string literals at `i` (`[ "a", "b" ]`, comments allowed). */
function read_list(text, i) {
  const items = [];
  i++;
  for (;;) {
    while (/[\s,]/.test(text[i])) i++;
    if (text[i] === "]") return [items, i + 1];
    if (text.startsWith("--", i)) {
      i = text.indexOf("\n", i);
      continue;
    }
    const [item, end] = read_string(text, i);
    items.push(item);
    i = end;
  }
}

const ours = new Set(LINT_RULES.map((rule) => rule.code));
const dir = path.join(checkout, "test", "Hadolint", "Rule");
const cases = [];
for (const file of fs.readdirSync(dir).filter((name) => /^DL\d+Spec\.hs$/.test(name)).sort()) {
  if (!ours.has(file.replace("Spec.hs", ""))) continue;
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const starts = [...text.matchAll(/\n\s+it "/g)].map((m) => m.index);
  starts.push(text.length);
  for (let b = 0; b < starts.length - 1; b++) {
    const block = text.slice(starts[b], starts[b + 1]);
    const [title] = read_string(block, block.indexOf('"'));
    const lists = new Map();
    const strings = new Map();
    for (const m of block.matchAll(/let\s+(\w+)\s*=\s*(Text\.unlines\s*)?\[/g)) lists.set(m[1], read_list(block, m.index + m[0].length - 1)[0]);
    for (const m of block.matchAll(/let\s+(\w+)\s*=\s*"/g)) strings.set(m[1], read_string(block, m.index + m[0].length - 1)[0]);
    const call = /(onBuildRuleCatchesNot|onBuildRuleCatches|ruleCatchesNot|ruleCatches)\s+"(DL\d+)"\s*(\$\s*Text\.unlines\s+(\w+)|\$\s*Text\.unlines\s*\[|"|\$|(\w+))/g;
    for (const m of block.matchAll(call)) {
      const at = m.index + m[0].length - 1;
      let dockerfile;
      if (m[5]) dockerfile = strings.get(m[5]) ?? `${(lists.get(m[5]) ?? []).join("\n")}\n`;
      else if (m[4]) dockerfile = `${(lists.get(m[4]) ?? []).join("\n")}\n`;
      else if (m[3].endsWith("[")) dockerfile = `${read_list(block, at)[0].join("\n")}\n`;
      else if (m[3] === '"') dockerfile = read_string(block, at)[0];
      else {
        const rest = block.slice(at + 1).trimStart();
        if (!rest.startsWith('"')) continue;
        dockerfile = read_string(rest, 0)[0];
      }
      cases.push({ code: m[2], kind: m[1], title, dockerfile });
    }
  }
}

const wrap = (text) => text.split("\n").map((line) => (/^RUN\b/i.test(line) ? `ONBUILD ${line}` : line)).join("\n");
const totals = { plain: [0, 0], onbuild: [0, 0] };
const per_code = new Map();
for (const c of cases) {
  const onbuild = c.kind.startsWith("onBuild");
  const found = lint_dockerfile(onbuild ? wrap(c.dockerfile) : c.dockerfile).filter((f) => f.code === c.code).length;
  const pass = c.kind.endsWith("Not") ? found === 0 : onbuild ? found === 1 : found >= 1;
  const total = totals[onbuild ? "onbuild" : "plain"];
  total[1]++;
  if (pass) total[0]++;
  const code = per_code.get(c.code) ?? [0, 0];
  code[1]++;
  if (pass) code[0]++;
  per_code.set(c.code, code);
  if (!pass && verbose) console.log(`differs: ${c.code} ${c.kind} "${c.title}" (found ${found})\n  ${JSON.stringify(c.dockerfile)}`);
}
const pct = ([ok, all]) => `${ok}/${all} (${((100 * ok) / Math.max(all, 1)).toFixed(1)} %)`;
const all = [totals.plain[0] + totals.onbuild[0], totals.plain[1] + totals.onbuild[1]];
console.log(`agreement with hadolint's specs: ${pct(all)}; plain ${pct(totals.plain)}; ONBUILD ${pct(totals.onbuild)}`);
console.log([...per_code].map(([code, counts]) => `${code} ${counts[0]}/${counts[1]}`).join("  "));
