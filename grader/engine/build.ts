// Builds a submission with BuildKit through the engine API (dockerode,
// version "2"), reading BuildKit's progress trace step by step. A failed build
// is a result: build_failure.ts turns it into a message a student can act on.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { docker, grading_labels } from "./client.js";
import { ContextRefusedError, pack_context, plan_context, type BuildContext } from "../submission/context.js";
import { diagnose_engine_error, locate_step, precheck_dockerfile, type BuildFailure, type BuildStep } from "../dockerfile/build-failure.js";
import { read_dockerfile } from "../dockerfile/index.js";
import { default_build_limits, limit_messages, type BuildLimits } from "../config/limits.js";
import { guard_build, type BuildGuardReport, type BuildLimitHit } from "../host/build-guard.js";
import { with_shared_build } from "../host/build-lock.js";
import { refuse_foreign_images } from "./foreign-images.js";

export type { BuildStep } from "../dockerfile/build-failure.js";

export interface BuildProgressEvent {
  step: BuildStep;
  state: "started" | "done" | "cached" | "failed";
  elapsed_ms: number;
}

export interface BuildOptions {
  dir: string;
  tag: string;
  session: string;
  exercise?: string;
  build_args?: Record<string, string>;
  target?: string;
  /** The Dockerfile's name in dir, as `docker build -f` gives it; "Dockerfile" by default. */
  dockerfile?: string;
  no_cache?: boolean;
  timeout_ms?: number;
  context_limit_bytes?: number;
  /** Limits of the RUN steps (pids, memory, disk); default_build_limits() otherwise. */
  limits?: Partial<BuildLimits>;
  on_progress?: (event: BuildProgressEvent) => void;
  /** Called once when the build waits (over a second) for a cache measure of another grading to end (build-lock.ts). */
  on_wait?: () => void;
  /** Cancels the build (the engine stops it when the request closes); build_image then rejects with the signal's reason, an AbortError. */
  signal?: AbortSignal;
}

export type BuildOutcome =
  | { ok: true; image_id: string; tag: string; steps: BuildStep[]; duration_ms: number; context: BuildContext }
  | { ok: false; failure: BuildFailure; steps: BuildStep[]; duration_ms: number; context?: BuildContext };

const STEP_NAME = /^\[(?:(\S+) )?(\d+)\/(\d+)\] (.*)$/s;

let status_type: protobuf.Type | undefined;
function status_response(): protobuf.Type {
  if (!status_type) {
    const proto = path.join(path.dirname(fileURLToPath(import.meta.url)), "buildkit-status.proto");
    status_type = protobuf.loadSync(proto).lookupType("moby.buildkit.v1.StatusResponse");
  }
  return status_type;
}

interface RawVertex {
  digest: string;
  name?: string;
  cached?: boolean;
  started?: { seconds: string; nanos: number } | null;
  completed?: { seconds: string; nanos: number } | null;
  error?: string;
}
interface RawLog {
  vertex: string;
  msg: Uint8Array;
}

function to_ms(t: RawVertex["started"]): number | undefined {
  if (!t) return undefined;
  return Number(t.seconds) * 1000 + Math.round((t.nanos ?? 0) / 1e6);
}

/**
 * Builds a folder on the engine. Waits first while a cache measure has the
 * engine to itself (build-lock.ts); the time limit starts with the build.
 */
export async function build_image(options: BuildOptions): Promise<BuildOutcome> {
  return with_shared_build(() => build_now(options), options.signal, options.on_wait);
}

async function build_now(options: BuildOptions): Promise<BuildOutcome> {
  const t0 = Date.now();
  const dockerfile = options.dockerfile ?? "Dockerfile";
  const dockerfile_path = path.join(options.dir, dockerfile);
  // Another name (-f) is the exercise's choice, not a student's typo: only its absence is reported before building.
  const pre =
    dockerfile === "Dockerfile"
      ? precheck_dockerfile(options.dir)
      : fs.existsSync(dockerfile_path)
        ? undefined
        : { kind: "no-dockerfile" as const, message: `Aucun fichier ${dockerfile} dans ${options.dir} : créez-le (il se construit avec \`docker build -f ${dockerfile} .\`).`, engine_message: "" };
  if (pre) return { ok: false, failure: pre, steps: [], duration_ms: Date.now() - t0 };
  const parsed = read_dockerfile(fs.readFileSync(dockerfile_path, "utf8"), { build_args: options.build_args });
  // Another session's images (another student's, in a cohort) are absent to this build.
  const foreign = await refuse_foreign_images(parsed.text, options.session, options.build_args);
  if (foreign) return { ok: false, failure: foreign, steps: [], duration_ms: Date.now() - t0 };

  let context: BuildContext;
  try {
    context = plan_context(options.dir, options.context_limit_bytes, dockerfile);
  } catch (error) {
    if (error instanceof ContextRefusedError) {
      return {
        ok: false,
        failure: {
          kind: "context-refused",
          message: `Contexte de build refusé : ${error.message}`,
          engine_message: "",
          ...(error.reason === "too-large"
            ? { limit: { limit: "context_size" as const, ...(options.context_limit_bytes !== undefined ? { value: options.context_limit_bytes } : {}) } }
            : {}),
        },
        steps: [],
        duration_ms: Date.now() - t0,
      };
    }
    throw error;
  }

  options.signal?.throwIfAborted();
  const abort = new AbortController();
  const limits = { ...default_build_limits(), ...options.limits };
  const timeout_ms = options.timeout_ms ?? limits.timeout_ms;
  let timed_out = false;
  const timer = setTimeout(() => {
    timed_out = true;
    abort.abort();
  }, timeout_ms);
  const on_abort = (): void => abort.abort();
  options.signal?.addEventListener("abort", on_abort, { once: true });

  const vertices = new Map<string, BuildStep & { digest: string; reported?: string; partial: string }>();
  let image_id: string | undefined;
  let engine_error: string | undefined;
  // RUN steps get pids, memory and disk limits where this machine allows it (see grader/host/build-guard.ts).
  let limit_hit: BuildLimitHit | undefined;
  let guard_report: BuildGuardReport | undefined;
  const guard = guard_build(
    limits,
    () => [...vertices.values()].filter((s) => s.started && !s.completed && /^RUN\s/i.test(s.instruction)).map((s) => s.instruction),
    (hit) => {
      limit_hit ??= hit;
      if (hit.abort) abort.abort();
    },
  );

  const limit_value = (limit: BuildLimitHit["limit"]): number => (limit === "pids" ? limits.pids : limit === "memory" ? limits.memory_bytes : limits.disk_bytes);

  const handle_status = (aux: string): void => {
    const decoded = status_response().toObject(status_response().decode(Buffer.from(aux, "base64")), {
      longs: String,
      defaults: true,
    }) as { vertexes: RawVertex[]; logs: RawLog[] };
    for (const v of decoded.vertexes) {
      const match = STEP_NAME.exec(v.name ?? "");
      if (!match) continue;
      let step = vertices.get(v.digest);
      if (!step) {
        step = {
          digest: v.digest,
          name: v.name!,
          stage: match[1],
          index: Number(match[2]),
          total: Number(match[3]),
          instruction: match[4]!,
          cached: false,
          output: [],
          partial: "",
        };
        vertices.set(v.digest, step);
      }
      step.cached = step.cached || Boolean(v.cached);
      step.started = to_ms(v.started) ?? step.started;
      step.completed = to_ms(v.completed) ?? step.completed;
      if (v.error) step.error = v.error;
      const state = step.error ? "failed" : step.completed ? (step.cached ? "cached" : "done") : step.started ? "started" : undefined;
      if (state && state !== step.reported) {
        step.reported = state;
        options.on_progress?.({
          step,
          state,
          elapsed_ms: step.started && step.completed ? step.completed - step.started : 0,
        });
      }
    }
    for (const log of decoded.logs) {
      const step = vertices.get(log.vertex);
      if (!step) continue;
      // Log chunks are not aligned on lines: keep the unfinished one apart.
      const lines = (step.partial + Buffer.from(log.msg).toString("utf8")).split(/\r?\n/);
      step.partial = lines.pop() ?? "";
      step.output.push(...lines);
      if (step.output.length > 2000) step.output.splice(0, step.output.length - 2000);
    }
  };

  try {
    const stream = await docker().buildImage(pack_context(context), {
      t: options.tag,
      version: "2",
      labels: grading_labels(options.session, options.exercise),
      buildargs: options.build_args,
      target: options.target,
      dockerfile,
      nocache: options.no_cache,
      rm: true,
      forcerm: true,
      abortSignal: abort.signal,
    } as Parameters<ReturnType<typeof docker>["buildImage"]>[1]);
    await new Promise<void>((resolve, reject) => {
      let buffer = "";
      const on_line = (line: string): void => {
        if (!line.trim()) return;
        let event: { id?: string; aux?: unknown; error?: string; errorDetail?: { message?: string } };
        try {
          event = JSON.parse(line);
        } catch {
          return;
        }
        if (event.id === "moby.buildkit.trace" && typeof event.aux === "string") handle_status(event.aux);
        else if (event.id === "moby.image.id" && event.aux && typeof event.aux === "object")
          image_id = (event.aux as { ID?: string }).ID;
        else if (event.error || event.errorDetail) engine_error = event.errorDetail?.message ?? event.error;
      };
      stream.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          on_line(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
        }
      });
      stream.on("end", () => {
        on_line(buffer);
        resolve();
      });
      stream.on("error", reject);
    });
  } catch (error) {
    if (!timed_out && !limit_hit?.abort) engine_error = (error as Error).message;
  } finally {
    clearTimeout(timer);
    guard_report = guard.stop();
    options.signal?.removeEventListener("abort", on_abort);
  }
  options.signal?.throwIfAborted();

  const steps = [...vertices.values()]
    .map(({ digest: _d, reported: _r, partial, ...step }) => {
      if (partial) step.output.push(partial);
      return step;
    })
    .sort((a, b) => (a.started ?? Infinity) - (b.started ?? Infinity));
  const duration_ms = Date.now() - t0;

  if (limit_hit?.abort) {
    const running = steps.find((s) => s.started && !s.completed) ?? steps.find((s) => s.error);
    const line = running ? locate_step(running, parsed) : undefined;
    const shown = running?.instruction.replace(/\s+/g, " ").slice(0, 80);
    const where = running ? (line ? `Ligne ${line} (${shown}) : ` : `Étape « ${shown} » : `) : "";
    return {
      ok: false,
      failure: {
        kind: "resource-limit",
        message: `${where}${limit_hit.message}`,
        line,
        instruction: running?.instruction,
        output_tail: running?.output.slice(-20),
        engine_message: limit_hit.limit,
        limit: { limit: limit_hit.limit, value: limit_value(limit_hit.limit) },
      },
      steps,
      duration_ms,
      context,
    };
  }
  if (timed_out) {
    const running = steps.find((s) => s.started && !s.completed);
    return {
      ok: false,
      failure: {
        kind: "timeout",
        message:
          `Le build a dépassé la limite de ${Math.round(timeout_ms / 1000)} s` +
          (running ? ` pendant l'étape « ${running.instruction} »` : "") +
          ". Une commande attend-elle une saisie (ajoutez -y à apt-get) ou ne se termine-t-elle jamais ?",
        instruction: running?.instruction,
        output_tail: running?.output.slice(-20),
        engine_message: "timeout",
        limit: { limit: "time", value: timeout_ms },
      },
      steps,
      duration_ms,
      context,
    };
  }
  if (engine_error || !image_id) {
    const failure = diagnose_engine_error(engine_error ?? "le moteur n'a renvoyé aucune image", steps, parsed);
    if (limit_hit) {
      failure.message += ` Limite atteinte : ${limit_hit.message}`;
      failure.limit = { limit: limit_hit.limit, value: limit_value(limit_hit.limit) };
    }
    // A step killed (137) under our memory limit, gone before the guard saw its OOM counter.
    else if (failure.exit_code === 137 && guard_report?.enforced.memory) {
      failure.message += ` Limite probablement atteinte : ${limit_messages.build_memory(limits.memory_bytes)}`;
      failure.limit = { limit: "memory", value: limits.memory_bytes };
    }
    return { ok: false, failure, steps, duration_ms, context };
  }
  return { ok: true, image_id, tag: options.tag, steps, duration_ms, context };
}
