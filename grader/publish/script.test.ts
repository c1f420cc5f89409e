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

  test("docker push of one name, or of every tag of a repository with --all-tags (-a)", () => {
    const script = read_publish_script(
      "docker push localhost:5000/catalogue:1.4.2\ndocker push -q localhost:5000/catalogue\ndocker push --all-tags localhost:5000/catalogue\ndocker push -a $REPO\n",
    );
    expect(script.errors).toEqual([]);
    expect(script.steps).toMatchObject([
      { kind: "push", ref: "localhost:5000/catalogue:1.4.2" },
      { kind: "push", ref: "localhost:5000/catalogue" },
      { kind: "push", ref: "localhost:5000/catalogue", all_tags: true },
      { kind: "push", ref: "$REPO", all_tags: true },
    ]);
    const wrong = read_publish_script("docker push --all-tags localhost:5000/catalogue:1.4.2\ndocker push a:1 b:1\ndocker push --force a:1\n");
    expect(wrong.errors[0]).toMatch(/^Ligne 1 .*avec --all-tags, docker push prend le dépôt sans tag \(localhost:5000\/catalogue\)/);
    expect(wrong.errors[1]).toMatch(/^Ligne 2 .*un seul nom d'image \(dépôt:tag\), ou --all-tags/);
    expect(wrong.errors[2]).toMatch(/^Ligne 3 .*n'a pas l'option --force/);
  });

  test("a script saved with CRLF line ends or a byte-order mark is refused as sh would fail on it, with how to save it", () => {
    const crlf = read_publish_script("#!/bin/sh\r\nset -eu\r\ndocker push localhost:5000/catalogue:1.4.2\r\n");
    expect(crlf.steps).toEqual([]);
    expect(crlf.errors).toEqual([expect.stringMatching(/^Ligne 1 : le fichier a des fins de ligne Windows \(CRLF\).*LF/)]);
    const bom = read_publish_script("\uFEFF#!/bin/sh\ndocker push localhost:5000/catalogue:1.4.2\n");
    expect(bom.errors).toEqual([expect.stringMatching(/^Ligne 1 : le fichier commence par une marque d'ordre des octets \(BOM\)/)]);
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
