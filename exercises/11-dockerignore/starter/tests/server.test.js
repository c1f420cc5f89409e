// Tests de l'API (npm test) : utiles sur votre machine et en CI, inutiles dans l'image.
const { test } = require("node:test");
const assert = require("petit-assert");
const { version } = require("../package.json");

test("la version suit le versionnage sémantique", () => {
  assert.matches(version, /^\d+\.\d+\.\d+$/);
});
