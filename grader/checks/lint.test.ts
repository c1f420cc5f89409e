import { describe, expect, test } from "vitest";
import { must } from "../../test/helpers/outcome.js";
import { check_lint } from "./lint.js";
import { read_dockerfile } from "../dockerfile/index.js";

const dockerfile = (text: string) => ({ dockerfile: () => read_dockerfile(text) });

describe("lint as a check", () => {
  const dirty = "FROM python:3.11-slim\nRUN apt-get update && apt-get install -y jq\nENV API_TOKEN=abc123\nCMD python app.py\n";

  test("no error: fails on error-level findings only, listing each with its line", () => {
    const result = check_lint(dockerfile(dirty));
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([expect.stringMatching(/^Ligne 3 \(DLS001\) : ENV écrit la valeur de « API_TOKEN »/)]);
    expect(check_lint(dockerfile("FROM python:3.11-slim\nCMD [\"python3\"]\n")).ok).toBe(true);
  });

  test("named rules count whatever their severity, and all are reported", async () => {
    const result = check_lint(dockerfile(dirty), { rules: ["DL3009", "DL3015", "DL3025"] });
    expect(result.failures.map((f) => f.match(/\((DL\d+)\)/)![1])).toEqual(["DL3009", "DL3015", "DL3025"]);
    await expect(must(check_lint(dockerfile(dirty), { rules: ["DL3009"] }))).rejects.toThrow(/Ligne 2 \(DL3009\)/);
  });

  test("a spec naming an unknown rule is a spec error", () => {
    expect(() => check_lint(dockerfile(dirty), { rules: ["DL9999"] })).toThrow(/Erreur dans le spec.*DL9999/);
  });
});
