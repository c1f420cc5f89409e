import { afterEach, describe, expect, test } from "vitest";
import { render_markdown } from "./markdown.js";
import { configure_color } from "./color.js";

const lesson = `# Titre de la leçon

Un paragraphe avec du **gras**, de l'*italique*, du \`code\` et [un lien](https://docs.docker.com/reference/dockerfile/), assez long pour être coupé à la largeur demandée.

## Une section

\`\`\`dockerfile
FROM python:3.11-slim
CMD ["python3", "app.py"]
\`\`\`

- un point
- un autre, avec \`COPY\`
  1. imbriqué

| instruction | rôle |
| --- | --- |
| \`FROM image:tag\` | l'image de base, le point de départ (toujours la première instruction) |

> Attention &amp; prudence.
`;

afterEach(() => configure_color(false));

describe("markdown for the terminal", () => {
  test("without colours: readable, marks kept where they carry meaning, within the width", () => {
    configure_color(false);
    const text = render_markdown(lesson, 60);
    expect(text).toMatch(/^Titre de la leçon\n═{17}\n\n/);
    expect(text).toMatch(/\nUne section\n─{11}\n/);
    expect(text).toMatch(/du gras, de l'italique, du `code` et un\s+lien\s+\(https:\/\/docs\.docker\.com\/reference\/dockerfile\/\)/);
    expect(text).toMatch(/\n {4}FROM python:3\.11-slim\n {4}CMD \["python3", "app\.py"\]\n/);
    expect(text).toMatch(/\n {2}• un point\n {2}• un autre, avec `COPY`\n {6}1\. imbriqué\n/);
    expect(text).toMatch(/ {2}instruction +rôle\n {2}─+ +─+\n {2}`FROM image:tag` +l'image de base/);
    expect(text).toMatch(/│ Attention & prudence\./);
    for (const line of text.split("\n")) expect([...line].length).toBeLessThanOrEqual(60);
  });

  test("with colours: headings, code and links styled, no markdown marks left", () => {
    configure_color(true);
    const text = render_markdown(lesson, 80);
    expect(text).toContain("\u001b[1m\u001b[36mTitre de la leçon");
    expect(text).toContain("\u001b[33mcode\u001b[39m");
    expect(text).not.toMatch(/\*\*|`code`|^#/m);
  });
});
