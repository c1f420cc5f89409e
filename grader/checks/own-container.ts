// Checks that start a container of their own, never the shared server: what
// they look at is the container's life. It stays up, reads its environment
// at start (docker run -e), stops on SIGTERM in time, becomes healthy, keeps
// what it writes in a named volume across docker rm. Each removes its
// containers (and volume) when it ends.
//
// What each relies on:
// - stays up, stops on SIGTERM: the engine's state of the container (running,
//   exit code, when it stopped) and the clock, never the program's words;
// - env override: the application's own answer (HTTP body, or the spec's
//   probe) with and without -e, compared: the behaviour itself;
// - healthy: the engine's health status and log, backed by the grader's own
//   request to the application, and with `tests`, by a container where the
//   application does not run and the health check must fail (see HealthyOptions);
// - volume: a named volume the grader creates, and the application's own
//   reading of its data from a container recreated on it.
import type { ContainerOptions, ExerciseHandle } from "../spec/use-exercise.js";
import { CheckFailure, outcome, require_config, SpecConfigError, type CheckOutcome } from "./check.js";
import { GradedContainer, remove_volume, volume_name } from "../engine/container.js";
import { format_process_tree } from "../engine/process.js";
import { is_shell_wrapper } from "./server.js";
import {
  excerpt, explain_exit_code, join_output, limit_facts, last_logs, no_response_failure, obtain, request, seconds, sleep, start_for_check, describe_request, describe_network_error, validate_command, validate_duration, validate_request, validate_start, type CheckSubject, type HttpRequest,
} from "./containers.js";
import { matches, quote, type Expected } from "./words.js";

// ---------------------------------------------------------------- stays up

export interface StaysUpOptions {
  /** How long the container must keep running (default 3 s). */
  seconds?: number;
  /** How to start the check's own container, when it is given the exercise. */
  container?: ContainerOptions;
}

/** The container starts and is still running `seconds` after it started. */
export async function check_stays_up(subject: CheckSubject, options: StaysUpOptions = {}): Promise<CheckOutcome> {
  const wanted_s = options.seconds ?? 3;
  validate_duration(wanted_s, "seconds");
  validate_start(options.container);
  const started = await obtain(subject, options.container);
  if (!started.container) return started.failure;
  const container = started.container;
  try {
    const t0 = Date.now();
    for (;;) {
      const state = await container.state();
      if (!state.running) {
        const lived = Date.parse(state.finished_at) - Date.parse(state.started_at);
        return outcome(
          [
            `Le conteneur devait rester en marche au moins ${seconds(wanted_s * 1000)} ; il s'est arrêté au bout de ${seconds(lived)} ` +
              `avec le code de sortie ${state.exit_code}.${explain_exit_code(state.exit_code, state.oom_killed)} ` +
              "Le programme principal (CMD/ENTRYPOINT) doit tourner au premier plan et ne pas se terminer.",
          ],
          await last_logs(container),
          limit_facts(state),
        );
      }
      if (Date.now() - t0 >= wanted_s * 1000) return outcome([]);
      await sleep(Math.min(250, Math.max(10, t0 + wanted_s * 1000 - Date.now())));
    }
  } finally {
    if (started.owned) await container.remove();
  }
}

// ---------------------------------------------------------------- env overrides

export interface EnvOverrideExpectation {
  /** Variables given at run time (docker run -e), on top of container.env. */
  env: Record<string, string>;
  /** What to observe: an HTTP request (its body) or any function of the started container. */
  probe: HttpRequest | ((container: GradedContainer) => Promise<string>);
  /** With the override, the observation contains the text / matches the described pattern. */
  expect?: Expected;
  /** The observation differs from a container started without the override (default true). */
  differs?: boolean;
  /** How to start both containers (each check's own). */
  container?: ContainerOptions;
  /** Extra options for the overridden container only (e.g. other ports when PORT changes). */
  override_container?: ContainerOptions;
}

const show_env = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `-e ${k}=${v}`)
    .join(" ");

async function observe(container: GradedContainer, probe: EnvOverrideExpectation["probe"]): Promise<{ text: string } | { failure: CheckOutcome }> {
  if (typeof probe === "function") {
    try {
      return { text: await probe(container) };
    } catch (error) {
      if (error instanceof CheckFailure) return { failure: outcome([error.message], error.output) };
      throw error;
    }
  }
  const result = await request(container, probe);
  if ("error" in result) return { failure: await no_response_failure(container, probe, result.error) };
  return { text: result.response.body };
}

/** Starting the image with other env values changes what it does (and gives the expected result). */
export async function check_env_override(ex: ExerciseHandle, expected: EnvOverrideExpectation): Promise<CheckOutcome> {
  const names = Object.keys(expected.env ?? {});
  require_config(names.length > 0, "env est vide : donnez au moins une variable à changer au lancement.");
  for (const name of names) require_config(/^[A-Za-z_][A-Za-z0-9_]*$/.test(name), `nom de variable impossible : « ${name} ».`);
  const differs = expected.differs ?? true;
  require_config(differs || expected.expect !== undefined, "ne vérifie rien : donnez expect, ou laissez differs à true.");
  if (typeof expected.probe !== "function") {
    validate_request(expected.probe);
    const port = expected.probe.port;
    require_config(
      (expected.container?.ports ?? []).includes(port) && (expected.override_container?.ports ?? expected.container?.ports ?? []).includes(port),
      `probe appelle le port ${port} : ajoutez-le à container.ports (et à override_container.ports s'il est donné).`,
    );
  }
  validate_start(expected.container);
  validate_start(expected.override_container);
  if (typeof expected.expect === "string") require_config(expected.expect !== "", "expect est vide.");

  const base_options = expected.container ?? {};
  const override_options: ContainerOptions = {
    ...base_options,
    ...expected.override_container,
    env: { ...base_options.env, ...expected.override_container?.env, ...expected.env },
  };
  const flags = show_env(expected.env);
  const [base, overridden] = await Promise.all([
    differs ? start_for_check(ex, base_options) : Promise.resolve(undefined),
    start_for_check(ex, override_options),
  ]);
  try {
    if (base?.failure) return base.failure;
    if (overridden.failure) {
      return outcome([`Lancé avec ${flags}, ${overridden.failure.failures.join(" ")}`], overridden.failure.output);
    }
    const [seen_base, seen_override] = await Promise.all([
      base?.container ? observe(base.container, expected.probe) : Promise.resolve(undefined),
      observe(overridden.container, expected.probe),
    ]);
    if (seen_base && "failure" in seen_base) return seen_base.failure;
    if ("failure" in seen_override) {
      return outcome(seen_override.failure.failures.map((f) => `Lancé avec ${flags} : ${f}`), seen_override.failure.output);
    }
    const failures: string[] = [];
    const reads = `L'application doit lire ${names.join(", ")} dans son environnement au démarrage (os.environ, process.env…) au lieu d'une valeur écrite en dur ; ENV dans le Dockerfile ne donne que la valeur par défaut.`;
    if (expected.expect !== undefined && !matches(seen_override.text, expected.expect)) {
      failures.push(`Lancé avec ${flags}, le conteneur devait donner ${quote(expected.expect)} ; il donne ${excerpt(seen_override.text)}. ${reads}`);
    }
    if (seen_base && seen_base.text === seen_override.text) {
      failures.push(`Le résultat est le même avec et sans ${flags} (${excerpt(seen_base.text)}) : la variable n'a aucun effet. ${reads}`);
    }
    return outcome(failures, failures.length ? await last_logs(overridden.container) : undefined);
  } finally {
    await Promise.all([base?.container?.remove(), overridden.container?.remove()]);
  }
}

// ---------------------------------------------------------------- SIGTERM

export interface StopOptions {
  /** The container must be stopped within this many seconds (default 5). */
  within_s?: number;
  /** docker stop's grace period before SIGKILL (default within_s + 5). */
  grace_s?: number;
  /** How to start the check's own container, when it is given the exercise. */
  container?: ContainerOptions;
}

/** `docker stop` (SIGTERM, or the image's STOPSIGNAL) ends the container within N seconds. */
export async function check_stops_on_sigterm(subject: CheckSubject, options: StopOptions = {}): Promise<CheckOutcome> {
  const within_s = options.within_s ?? 5;
  validate_duration(within_s, "within_s");
  require_config(within_s > 0, "within_s doit être supérieur à 0.");
  const grace_s = options.grace_s ?? within_s + 5;
  validate_duration(grace_s, "grace_s");
  require_config(grace_s > within_s, `grace_s (${grace_s}) doit dépasser within_s (${within_s}), sinon Docker tue le conteneur avant la fin du délai.`);
  validate_start(options.container);
  const started = await obtain(subject, options.container);
  if (!started.container) return started.failure;
  const container = started.container;
  try {
    const before = await container.state();
    if (!before.running) {
      return outcome(
        [`Le conteneur était déjà arrêté (code de sortie ${before.exit_code}) avant l'envoi de SIGTERM.${explain_exit_code(before.exit_code, before.oom_killed)}`],
        await last_logs(container),
        limit_facts(before),
      );
    }
    // Read before stopping: afterwards there is nothing left to show.
    const tree = await container.processes().catch(() => undefined);
    const logs = await last_logs(container);
    const { duration_ms, exit_code } = await container.stop(Math.ceil(grace_s));
    if (duration_ms <= within_s * 1000) return outcome([]);
    const init = tree?.init?.command;
    const cause =
      init && is_shell_wrapper(init)
        ? ` PID 1 est un shell (« ${init} ») : CMD est en forme shell, et le shell ne transmet pas SIGTERM à votre programme. ` +
          'Écrivez CMD en forme exec : CMD ["programme", "argument"].'
        : " Le programme ignore probablement SIGTERM : il tourne peut-être sous un shell (CMD en forme shell), ou, étant PID 1, il n'a pas le comportement par défaut des signaux et doit gérer SIGTERM lui-même " +
          "(signal.signal(signal.SIGTERM, …) en Python, process.on('SIGTERM', …) en Node).";
    return outcome(
      [
        `Le conteneur a mis ${seconds(duration_ms)} à s'arrêter après SIGTERM (attendu : moins de ${seconds(within_s * 1000)})` +
          (exit_code === 137
            ? ` ; Docker a fini par le tuer avec SIGKILL au bout du délai de ${seconds(grace_s * 1000)} (code de sortie 137).`
            : ` (code de sortie ${exit_code}).`) +
          cause,
      ],
      join_output(tree ? `Processus avant l'arrêt :\n${format_process_tree(tree)}` : undefined, logs),
    );
  } finally {
    if (started.owned) await container.remove();
  }
}

// ---------------------------------------------------------------- HEALTHCHECK

export interface HealthyOptions {
  /** How long the container has to become healthy (default 30 s). */
  deadline_ms?: number;
  /** How to start the check's own container, when it is given the exercise. */
  container?: ContainerOptions;
  /**
   * What the HEALTHCHECK must be testing: a request the application answers.
   * The health log alone cannot tell a test of the application from a command
   * that always succeeds (CMD ["true"]), so two facts back the verdict: once
   * healthy, the grader's own request gets an answer; and in a second container
   * of the image where the application does not run (`without_app`), where the
   * same request gets none, the HEALTHCHECK must fail (the engine's health log
   * shows a non-zero exit code).
   */
  tests?: HttpRequest;
  /** What runs instead of the application in that second container (default ["sleep", "infinity"]): it answers nothing. */
  without_app?: string[];
}

function health_log(entries: Array<{ exit_code: number; output: string }>): string | undefined {
  if (entries.length === 0) return undefined;
  return `Derniers résultats du HEALTHCHECK :\n${entries
    .slice(-5)
    .map((e) => `- code ${e.exit_code} : ${e.output.trim().split("\n").slice(-3).join(" | ") || "(aucune sortie)"}`)
    .join("\n")}`;
}

/** The image's HEALTHCHECK reports "healthy" within the deadline (and, with `tests`, fails where the application does not run). */
export async function check_healthy(subject: CheckSubject, options: HealthyOptions = {}): Promise<CheckOutcome> {
  const deadline_ms = options.deadline_ms ?? 30_000;
  validate_duration(deadline_ms, "deadline_ms");
  validate_start(options.container);
  if (options.tests) {
    validate_request(options.tests);
    require_config(!(subject instanceof GradedContainer), "avec tests, donnez l'exercice (il démarre aussi un conteneur sans l'application).");
    require_config((options.container?.ports ?? []).includes(options.tests.port), `tests appelle le port ${options.tests.port} : ajoutez-le à container.ports.`);
  }
  const without_app = options.without_app ?? ["sleep", "infinity"];
  require_config(without_app.length > 0, "without_app est vide.");
  // Started beside the first: its first probe comes one interval after its start, as the other's does.
  const idle = options.tests
    ? start_for_check(subject as ExerciseHandle, { ...options.container, entrypoint: [without_app[0]!], args: without_app.slice(1), wait_for: "running" })
    : undefined;
  idle?.catch(() => undefined);
  const started = await obtain(subject, options.container);
  try {
    if (!started.container) return started.failure;
    const container = started.container;
    let state = await container.state();
    if (!state.healthcheck) {
      return outcome([
        "L'image n'a pas de HEALTHCHECK : Docker ne peut pas savoir si l'application répond. " +
          'Ajoutez une instruction HEALTHCHECK au Dockerfile, par exemple HEALTHCHECK --interval=5s --timeout=3s CMD ["programme", "argument"], ' +
          "dont la commande sort avec le code 0 quand l'application répond.",
      ]);
    }
    const t0 = Date.now();
    for (;;) {
      if (!state.running) {
        return outcome(
          [`Le conteneur s'est arrêté (code de sortie ${state.exit_code}) avant d'être « healthy ».${explain_exit_code(state.exit_code, state.oom_killed)}`],
          join_output(health_log(state.health?.log ?? []), await last_logs(container)),
          limit_facts(state),
        );
      }
      const status = state.health?.status ?? "starting";
      if (status === "healthy") break;
      const check = state.healthcheck!;
      // A probe that answered "no" is the application's answer; one that timed
      // out (-1) may be a busy machine: that one can recover before the deadline.
      const timed_out = state.health?.log.at(-1)?.exit_code === -1;
      const past_deadline = Date.now() - t0 >= deadline_ms;
      if (status === "unhealthy" && (!timed_out || past_deadline)) {
        return outcome(
          [
            `Le HEALTHCHECK a déclaré le conteneur « unhealthy » après ${state.health?.failing_streak ?? check.retries} échec(s) de suite ; il devait devenir « healthy ». ` +
              `La commande du HEALTHCHECK (${JSON.stringify(check.test.slice(1))}) fonctionne-t-elle dans l'image : programme présent, bon port, bonne adresse ?`,
          ],
          join_output(health_log(state.health?.log ?? []), await last_logs(container)),
        );
      }
      if (past_deadline) {
        const slow = check.interval_ms >= deadline_ms / 2;
        return outcome(
          [
            `Le conteneur est encore « ${status} » après ${seconds(deadline_ms)} : le HEALTHCHECK n'a pas encore réussi.` +
              (slow
                ? ` Son intervalle est de ${seconds(check.interval_ms)} (30 s si rien n'est précisé) et le premier test n'a lieu qu'au bout de cet intervalle : réduisez-le, par exemple HEALTHCHECK --interval=5s.`
                : " Regardez les derniers résultats du test ci-dessous."),
          ],
          join_output(health_log(state.health?.log ?? []), await last_logs(container)),
        );
      }
      await sleep(250);
      state = await container.state();
    }
    if (!options.tests || !idle) return outcome([]);
    return await health_tests_the_app(container, await idle, state.healthcheck!, options.tests, without_app);
  } finally {
    if (started.owned && started.container) await started.container.remove();
    const other = await idle?.catch(() => undefined);
    if (other?.container) await other.container.remove();
  }
}

/**
 * The facts behind « the HEALTHCHECK tests the application » (see HealthyOptions.tests):
 * the healthy container answers the request; the one without the application
 * does not, and its health log has a failed probe.
 */
async function health_tests_the_app(
  healthy: GradedContainer,
  idle: { container?: GradedContainer; failure?: CheckOutcome },
  check: { test: string[]; interval_ms: number; timeout_ms: number },
  tests: HttpRequest,
  without_app: string[],
): Promise<CheckOutcome> {
  const what = describe_request(tests);
  const command = check.test[0] === "CMD-SHELL" ? `« ${check.test.slice(1).join(" ")} »` : JSON.stringify(check.test.slice(1));
  const answered = await request(healthy, tests);
  if ("error" in answered) {
    return outcome([
      `Le HEALTHCHECK déclare le conteneur « healthy », mais l'application ne répond pas à ${what} sur le port ${tests.port} (${describe_network_error(answered.error)}) : ` +
        `le test de santé (${command}) ne vérifie pas qu'elle répond. Faites-lui interroger l'application elle-même.`,
    ]);
  }
  if (!idle.container) {
    throw new SpecConfigError(`le conteneur sans l'application (${JSON.stringify(without_app)}) n'a pas démarré : ${idle.failure?.failures.join(" ") ?? "?"}`);
  }
  const probe = await request(idle.container, { ...tests, deadline_ms: 1_000 });
  if (!("error" in probe)) {
    throw new SpecConfigError(`sans l'application (${JSON.stringify(without_app)}), ${what} répond quand même (${probe.response.status}) : without_app ne l'arrête pas.`);
  }
  // The first probe comes one interval after the start; give it that, its time-out and some slack.
  const wait_ms = Math.min(60_000, check.interval_ms + check.timeout_ms + 5_000);
  const t0 = Date.now();
  for (;;) {
    const state = await idle.container.state();
    const log = state.health?.log ?? [];
    const passed = log.find((e) => e.exit_code === 0);
    if (passed) {
      return outcome(
        [
          `Dans un conteneur de la même image où l'application ne tourne pas (${what} sur le port ${tests.port} : ${describe_network_error(probe.error)}), ` +
            `le test de santé (${command}) réussit quand même (code 0) : il ne teste pas l'application. ` +
            "Sa commande doit l'interroger et échouer quand elle ne répond pas (un programme qui appelle l'application, pas une commande qui réussit toujours).",
        ],
        health_log(log),
      );
    }
    if (log.some((e) => e.exit_code !== 0)) return outcome([]);
    if (Date.now() - t0 >= wait_ms) {
      return outcome([
        `Dans un conteneur de la même image où l'application ne tourne pas, le test de santé n'a donné aucun résultat en ${seconds(wait_ms)} : ` +
          `son intervalle (${seconds(check.interval_ms)}) est-il trop long ?`,
      ]);
    }
    await sleep(250);
  }
}

// ---------------------------------------------------------------- volumes

/** Something done to a running container: a command, or an HTTP request. */
export type ContainerAction = { exec: string[]; user?: string } | { http: HttpRequest };

export interface VolumeExpectation {
  /** Where the named volume is mounted in the container, e.g. "/data". */
  path: string;
  /** Writes the data (exit code 0 / HTTP status below 400 expected). */
  write: ContainerAction;
  /** Reads it back: its output (or body) must contain `expect`. */
  read: ContainerAction;
  expect: Expected;
  /** How to start both containers (ports for HTTP actions). */
  container?: ContainerOptions;
}

const describe_action = (a: ContainerAction) => ("exec" in a ? JSON.stringify(a.exec) : describe_request(a.http));

async function act(container: GradedContainer, action: ContainerAction): Promise<{ ok: boolean; text: string; problem?: string }> {
  if ("exec" in action) {
    try {
      const result = await container.exec(action.exec, { user: action.user });
      return { ok: result.exit_code === 0, text: result.output, problem: `code de sortie ${result.exit_code}` };
    } catch (error) {
      return { ok: false, text: "", problem: (error as Error).message };
    }
  }
  const result = await request(container, action.http);
  if ("error" in result) return { ok: false, text: "", problem: result.error };
  return { ok: result.response.status < 400, text: result.response.body, problem: `statut HTTP ${result.response.status}` };
}

function validate_action(action: ContainerAction, name: string, container: ContainerOptions | undefined): void {
  if ("exec" in action) {
    validate_command(action.exec, `${name}.exec`);
  } else {
    validate_request(action.http);
    require_config((container?.ports ?? []).includes(action.http.port), `${name} appelle le port ${action.http.port} : ajoutez-le à container.ports.`);
  }
}

/**
 * Data written under a named volume survives `docker rm` and a new container
 * on the same volume. The volume is removed at the end.
 */
export async function check_volume_persists(ex: ExerciseHandle, expected: VolumeExpectation): Promise<CheckOutcome> {
  require_config(typeof expected.path === "string" && expected.path.startsWith("/"), `path « ${expected.path} » doit être un chemin absolu, comme "/data".`);
  validate_start(expected.container);
  validate_action(expected.write, "write", expected.container);
  validate_action(expected.read, "read", expected.container);
  if (typeof expected.expect === "string") require_config(expected.expect !== "", "expect est vide.");

  const volume = volume_name(ex.session);
  const options: ContainerOptions = { ...expected.container, volumes: { ...expected.container?.volumes, [volume]: expected.path } };
  const ownership =
    ` Si l'application tourne avec USER, le dossier ${expected.path} doit exister dans l'image et lui appartenir (RUN mkdir -p ${expected.path} && chown …) : ` +
    "Docker recopie ce propriétaire dans un volume neuf.";
  const containers: GradedContainer[] = [];
  try {
    const first = await start_for_check(ex, options);
    if (!first.container) return first.failure;
    containers.push(first.container);
    const written = await act(first.container, expected.write);
    if (!written.ok) {
      return outcome(
        [`L'écriture des données (${describe_action(expected.write)}) a échoué (${written.problem}) : le volume est monté sur ${expected.path}.${ownership}`],
        join_output(written.text.trim() ? `Sortie : ${excerpt(written.text, 400)}` : undefined, await last_logs(first.container)),
      );
    }
    const same = await act(first.container, expected.read);
    if (!same.ok || !matches(same.text, expected.expect)) {
      return outcome(
        [
          `Juste après l'écriture, dans le même conteneur, la lecture (${describe_action(expected.read)}) devait donner ${quote(expected.expect)} ; ` +
            `elle donne ${same.ok ? excerpt(same.text) : `une erreur (${same.problem})`}. L'application n'enregistre pas ces données.`,
        ],
        await last_logs(first.container),
      );
    }
    await first.container.remove();

    const second = await start_for_check(ex, options);
    if (!second.container) return second.failure;
    containers.push(second.container);
    const read = await act(second.container, expected.read);
    if (!read.ok || !matches(read.text, expected.expect)) {
      return outcome(
        [
          `Les données écrites n'ont pas survécu à la recréation du conteneur : après ${describe_action(expected.write)}, docker rm, ` +
            `puis un nouveau conteneur sur le même volume (monté sur ${expected.path}), ${describe_action(expected.read)} donne ` +
            `${read.ok ? excerpt(read.text) : `une erreur (${read.problem})`} au lieu de ${quote(expected.expect)}. ` +
            `L'application doit écrire ses données sous ${expected.path}, le point de montage du volume (déclarez-le avec VOLUME ${expected.path}) : ` +
            "ce qui est écrit ailleurs disparaît avec le conteneur.",
        ],
        await last_logs(second.container),
      );
    }
    return outcome([]);
  } finally {
    await Promise.all(containers.map((c) => c.remove()));
    await remove_volume(volume);
  }
}
