// The Classroom 50 template: autograder.py calls dockerlings the way
// Classroom 50's contract asks (result.json in the student's checkout, exit 0
// when grading ran, non-zero for an infrastructure error), and the runtime
// block is one its runner accepts. dockerlings itself is a stub here: the
// formats' own tests cover what `grade --classroom50` writes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, test } from "vitest";
import { project_root } from "./helpers/cli.js";

const template = path.join(project_root, "templates", "classroom50");
const python = ["python3", "python"].find((p) => spawnSync(p, ["--version"]).status === 0);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** An installed "dockerlings" whose grade records its arguments, then does what `behaviour` says. */
function stub_home(behaviour: "grades" | "cannot_grade" | "setup_fails"): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dl-c50-home-"));
  dirs.push(home);
  fs.mkdirSync(path.join(home, "bin"));
  fs.mkdirSync(path.join(home, "scripts"));
  fs.writeFileSync(path.join(home, "scripts", "setup.sh"), behaviour === "setup_fails" ? "exit 3\n" : "exit 0\n");
  fs.writeFileSync(
    path.join(home, "bin", "dockerlings.js"),
    `import fs from "node:fs";
const args = process.argv.slice(2);
fs.writeFileSync(${JSON.stringify(path.join(home, "call.json"))}, JSON.stringify({ args, cwd: process.cwd(), lang: process.env.DOCKERLINGS_LANG, classroom: process.env.CLASSROOM }));
if (${JSON.stringify(behaviour)} === "cannot_grade") process.exit(2);
fs.writeFileSync(args[args.indexOf("--classroom50") + 1], JSON.stringify({ schema: "classroom50/result/v1" }));
`,
  );
  fs.writeFileSync(path.join(home, "package.json"), '{ "type": "module" }\n');
  return home;
}

/** The template as a teacher sets it for one assignment (ONLY), or as shipped. */
function autograder(only: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-c50-grader-"));
  dirs.push(dir);
  const text = fs.readFileSync(path.join(template, "autograder.py"), "utf8");
  fs.writeFileSync(path.join(dir, "autograder.py"), only === null ? text : text.replace(/^ONLY = ""$/m, `ONLY = ${JSON.stringify(only)}`));
  return path.join(dir, "autograder.py");
}

function run_autograder(home: string, only: string | null = "01,02") {
  const checkout = fs.mkdtempSync(path.join(os.tmpdir(), "dl-c50-checkout-"));
  dirs.push(checkout);
  const run = spawnSync(python!, [autograder(only)], {
    cwd: checkout,
    encoding: "utf8",
    env: { ...process.env, DOCKERLINGS_HOME: home, RUNNER_TEMP: checkout, GITHUB_ACTIONS: "", CLASSROOM: "tp-docker" },
  });
  const call_file = path.join(home, "call.json");
  const call = fs.existsSync(call_file) ? (JSON.parse(fs.readFileSync(call_file, "utf8")) as { args: string[]; cwd: string; lang: string; classroom: string }) : undefined;
  return { run, checkout, call };
}

describe.skipIf(!python)(`templates/classroom50/autograder.py${python ? "" : " (skipped: no python3 on this machine)"}`, () => {
  test("grading ran: exit 0, result.json in the student's checkout, dockerlings called on the checkout", () => {
    const { run, checkout, call } = run_autograder(stub_home("grades"));
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(checkout, "result.json"), "utf8"))).toEqual({ schema: "classroom50/result/v1" });
    expect(call!.args.slice(0, 3)).toEqual(["grade", "--workspace", "."]);
    expect(call!.args).toContain("--classroom50");
    expect(fs.realpathSync(call!.args[call!.args.indexOf("--classroom50") + 1]!)).toBe(fs.realpathSync(path.join(checkout, "result.json")));
    expect(fs.realpathSync(call!.cwd)).toBe(fs.realpathSync(checkout));
    // The runner's variables reach dockerlings, which reads them.
    expect(call).toMatchObject({ lang: "fr", classroom: "tp-docker" });
    // Only the assignment's exercises, as many at once as the runner has cores: Classroom 50's job has 15 minutes.
    expect(call!.args.slice(call!.args.indexOf("--only"), call!.args.indexOf("--only") + 2)).toEqual(["--only", "01,02"]);
    expect(Number(call!.args[call!.args.indexOf("--parallel") + 1])).toBe(Math.max(1, os.cpus().length));
  });

  test("as shipped, with no exercises named: it says to set ONLY and grades nothing", () => {
    const { run, call } = run_autograder(stub_home("grades"), null);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/::error::set ONLY at the top of this autograder\.py to the exercises of this assignment/);
    expect(call).toBeUndefined();
  });

  test("dockerlings could not grade (its exit 2): the autograder exits non-zero, an infrastructure error", () => {
    const { run, checkout } = run_autograder(stub_home("cannot_grade"));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/::error::dockerlings could not grade this submission \(exit code 2\)/);
    expect(fs.existsSync(path.join(checkout, "result.json"))).toBe(false);
  });

  test("dockerlings could not be installed: non-zero, and dockerlings never runs", () => {
    const { run, call } = run_autograder(stub_home("setup_fails"));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/::error::dockerlings could not be installed/);
    expect(call).toBeUndefined();
  });
});

describe("templates/classroom50/runtime.json", () => {
  const runtime = JSON.parse(fs.readFileSync(path.join(template, "runtime.json"), "utf8")) as Record<string, unknown>;
  test("only fields Classroom 50's runtime block knows, on a GitHub-hosted Linux runner (Docker installed) with Node 20", () => {
    const known = ["runs-on", "python", "node", "java", "go", "rust", "apt", "container"];
    expect(Object.keys(runtime).filter((k) => !known.includes(k))).toEqual([]);
    expect(runtime).toMatchObject({ "runs-on": "ubuntu-latest", node: "20" });
    // A container would put the grader inside one, with no engine of its own.
    expect(runtime.container).toBeUndefined();
  });
});
