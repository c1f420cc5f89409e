import { describe, expect, test } from "vitest";
import { expand, read_publish_script, split_shell_words } from "./script.js";

describe("publication scripts", () => {
  test("reads build, tag, push and a digest, continuations and comments included", () => {
    const script = read_publish_script(
      [
        "#!/bin/sh",
        "set -eu",
        "# le catalogue",
        "docker build -t localhost:5000/catalogue:1.4.2 .",
        "docker tag localhost:5000/catalogue:1.4.2 localhost:5000/catalogue:1.4",
        "docker push localhost:5000/catalogue:1.4.2",
        "DIGEST=$(docker inspect --format '{{index .RepoDigests 0}}' localhost:5000/catalogue:1.4.2)",
        'docker build -f Dockerfile.rapport \\',
        '  --build-arg CATALOGUE="$DIGEST" -t localhost:5000/rapport:1.0.0 .',
        'echo "publié"',
      ].join("\n"),
    );
    expect(script.errors).toEqual([]);
    expect(script.steps.map((s) => s.kind)).toEqual(["build", "tag", "push", "digest", "build", "echo"]);
    expect(script.steps[4]).toMatchObject({ line: 8, dockerfile: "Dockerfile.rapport", build_args: { CATALOGUE: "$DIGEST" }, tags: ["localhost:5000/rapport:1.0.0"] });
    expect(script.steps[3]).toMatchObject({ name: "DIGEST", ref: "localhost:5000/catalogue:1.4.2" });
  });

  test("refuses anything else, with its line, and runs none of it", () => {
    const script = read_publish_script("docker build -t a .\nrm -rf /\ndocker push a; curl x\ndocker run --rm a\nX=$(cat /etc/passwd)\ndocker build -t b ..\n");
    expect(script.steps.map((s) => s.kind)).toEqual(["build"]);
    expect(script.errors).toHaveLength(5);
    expect(script.errors[0]).toMatch(/^Ligne 2 .*n'exécute que docker build/);
    expect(script.errors[1]).toMatch(/^Ligne 3 .*« ; »/);
    expect(script.errors[4]).toMatch(/^Ligne 6 .*contexte est « \. »/);
  });

  test("quotes and expansion as sh does them", () => {
    expect(split_shell_words(`a 'b $X' "c $X" d\\ e`)).toEqual(["a", "b \u0000X", "c $X", "d e"]);
    const vars = new Map([["X", "1"]]);
    expect(["b \u0000X", "c $X", "${X}y"].map((w) => expand(w, vars))).toEqual(["b $X", "c 1", "1y"]);
    const missing: string[] = [];
    expand("$NOPE", vars, missing);
    expect(missing).toEqual(["NOPE"]);
  });
});
