// `dockerlings stop`: ends the user's grading services (the warm processes
// `check` and `grade` start and reuse); the next command starts a new one.
import { stop_services } from "../../../grader/service/client.js";
import { define_messages } from "../../i18n/index.js";

const m = define_messages({
  stopped: {
    fr: (p: { count: number }) => `Service de correction arrêté (${p.count}).`,
    en: (p: { count: number }) => `Grading service stopped (${p.count}).`,
  },
  none: { fr: "Aucun service de correction ne tournait.", en: "No grading service was running." },
});

export async function stop_command(): Promise<number> {
  const stopped = await stop_services();
  process.stdout.write(`${stopped.length > 0 ? m("stopped", { count: stopped.length }) : m("none")}\n`);
  return 0;
}
