// One colour switch for the whole CLI: off when not a terminal, with NO_COLOR,
// or with --no-color.
import kleur from "kleur";

export function configure_color(enabled: boolean | undefined): void {
  const env_off = "NO_COLOR" in process.env && process.env.NO_COLOR !== "";
  kleur.enabled = enabled ?? (Boolean(process.stdout.isTTY) && !env_off);
  if (env_off) kleur.enabled = false;
}

export const c = kleur;

export const mark = {
  pass: () => c.green("✓"),
  fail: () => c.red("✗"),
  error: () => c.yellow("!"),
  todo: () => c.gray("·"),
};
