// A build argument reaching the image's labels and environment, the image's
// config and the Dockerfile given by a fake exercise (no engine): its value
// from a variant's --build-arg or the ARG's default, and why it does not arrive.
import { describe, expect, test } from "vitest";
import { fake_exercise, image_facts } from "../../test/helpers/fake-exercise.js";
import { SpecConfigError } from "./check.js";
import { check_build_arg } from "./build-args.js";

const GOOD = 'FROM python:3.11-slim\nARG VERSION=1.0.0\nLABEL org.opencontainers.image.version="${VERSION}"\nENV APP_VERSION=${VERSION}\n';
const expected = { arg: "VERSION", labels: ["org.opencontainers.image.version"], env: ["APP_VERSION"] };

describe("check_build_arg", () => {
  test("the variant's value reaches the label and the environment", async () => {
    const variant = fake_exercise({
      dockerfile: GOOD,
      variant_options: { build_args: { VERSION: "2.5.0" } },
      image: image_facts({ labels: { "org.opencontainers.image.version": "2.5.0" }, env: { APP_VERSION: "2.5.0" } }),
    });
    expect(await check_build_arg(variant, expected)).toMatchObject({ ok: true });
  });

  test("a value written by hand, an ARG never copied into ENV: each said with what to write", async () => {
    const ex = fake_exercise({
      dockerfile: 'FROM python:3.11-slim\nARG VERSION=1.0.0\nLABEL org.opencontainers.image.version="1.0.0"\n',
      variant_options: { build_args: { VERSION: "2.5.0" } },
      image: image_facts({ labels: { "org.opencontainers.image.version": "1.0.0" } }),
    });
    expect((await check_build_arg(ex, expected)).failures).toEqual([
      "Construite avec --build-arg VERSION=2.5.0, le label org.opencontainers.image.version vaut « 1.0.0 » au lieu de « 2.5.0 ». Le label doit prendre la valeur de l'argument (LABEL org.opencontainers.image.version=\"${VERSION}\"), pas une valeur écrite en dur.",
      "Construite avec --build-arg VERSION=2.5.0, la variable d'environnement APP_VERSION n'est pas définie dans l'image. Un ARG n'existe que pendant le build : le programme, lancé plus tard, ne le voit pas. Recopiez-le dans une variable d'environnement : « ENV APP_VERSION=${VERSION} ».",
    ]);
  });

  test("why the value is empty: an ARG declared before FROM only, or of another name", async () => {
    const before_from = fake_exercise({
      dockerfile: 'ARG VERSION=1.0.0\nFROM python:3.11-slim\nLABEL org.opencontainers.image.version="${VERSION}"\n',
      image: image_facts({ labels: { "org.opencontainers.image.version": "" } }),
    });
    expect((await check_build_arg(before_from, { arg: "VERSION", labels: expected.labels })).failures[0]).toMatch(
      /le label org\.opencontainers\.image\.version est vide .* Un ARG déclaré avant FROM n'est visible qu'à la ligne FROM : redéclarez « ARG VERSION » après FROM \(ligne 1\)\.$/,
    );
    const other = fake_exercise({ dockerfile: "FROM python:3.11-slim\nARG APP_VERSION\n", image: image_facts() });
    expect((await check_build_arg(other, { arg: "VERSION", labels: expected.labels })).failures[0]).toMatch(/déclare ARG APP_VERSION, mais pas VERSION/);
  });

  test("an impossible name, or nothing to look at: the spec's mistakes", async () => {
    await expect(check_build_arg(fake_exercise({ dockerfile: GOOD }), { arg: "1X", env: ["A"] })).rejects.toThrow(SpecConfigError);
    await expect(check_build_arg(fake_exercise({ dockerfile: GOOD }), { arg: "VERSION" })).rejects.toThrow(/donnez labels ou env/);
  });
});
