// A known mix of results for the report tests: one exercise passed (10/10),
// one partly (1/3, with a Dockerfile line and hostile text in its message),
// one refused (0/5, its one refusal check). Total 11/18. The first exercise
// carries the runner's durations, the second a build failure as facts.
// not_graded() adds an exercise the grader could not grade (no check at all).
import type { GradedExercise } from "../result.js";

export const HOSTILE = 'a <b> & "c" | `d` ``` e\u001b[31m\u0000\nsecond line';

export function mixed_results(): GradedExercise[] {
  return [
    {
      version: 3,
      exercise: "01-premier-dockerfile",
      title: "Votre premier Dockerfile",
      submission: "work/01-premier-dockerfile",
      status: "pass",
      points: 10,
      max_points: 10,
      duration_ms: 1500,
      tests: [
        { name: "l'image se construit", status: "pass", points: 2, max_points: 2, duration_ms: 900 },
        { name: "l'image part de python:3.11-slim", status: "pass", points: 2, max_points: 2, duration_ms: 120 },
        { name: "elle affiche le message", status: "pass", points: 4, max_points: 4, duration_ms: 450 },
        { name: "CMD en forme exec", status: "pass", points: 2, max_points: 2, duration_ms: 30 },
      ],
    },
    {
      version: 3,
      exercise: "90-serveur",
      title: "Un serveur <de> test",
      submission: "work/90-serveur",
      status: "fail",
      // Deliberately wrong: the summary recomputes points from the checks.
      points: 99,
      max_points: 3,
      ignored: ["app.py", "notes, à lire.txt"],
      tests: [
        { name: "l'image se construit", status: "pass", points: 1, max_points: 1 },
        {
          name: "le serveur répond | sur le port 8000",
          status: "fail",
          message: `L'image ne se construit pas.\nLigne 3 (RUN x) : ${HOSTILE}`,
          output: "[… 12 caractères coupés au début]\nfin de la sortie",
          points: 0,
          max_points: 2,
          lines: [3],
          facts: [
            { kind: "build_failure", failure: "run_failed", line: 3, instruction: "RUN x", exit_code: 7 },
            // The runner cut the output to its cap (grader/runner/verdict.ts): a limit met, as data.
            { kind: "limit", limit: "output", value: 500 },
          ],
        },
      ],
    },
    {
      // A refusal as the runner writes it (runner/verdict.ts, refused_result): the student's fail, one check with the points.
      version: 3,
      exercise: "91-refuse",
      status: "fail",
      error_kind: "refused",
      message: "Soumission refusée : elle contient « spec.test.ts », un fichier de test.",
      points: 0,
      max_points: 5,
      tests: [
        { name: "la soumission peut être corrigée", status: "fail", message: "Soumission refusée : elle contient « spec.test.ts », un fichier de test.", points: 0, max_points: 5 },
      ],
    },
  ];
}

export const COURSE = { name: "dockerlings", version: "9.9.9" };
export const GRADED_AT = new Date("2025-01-02T03:04:05.000Z");

/**
 * An exercise with more failed checks than GitHub shows annotations: twelve
 * failed checks worth 1 to 12 points, the last one a build failure worth 1.
 */
export function many_failures(): GradedExercise[] {
  const tests = Array.from({ length: 12 }, (_, i) => ({
    name: `check ${i + 1}`,
    status: "fail" as const,
    message: `échec ${i + 1}`,
    points: 0,
    max_points: i === 11 ? 1 : i + 1,
    ...(i === 11 ? { facts: [{ kind: "build_failure" as const, failure: "run_failed", line: 2 }] } : {}),
  }));
  return [{ version: 3, exercise: "95-beaucoup", submission: "work/95-beaucoup", status: "fail", points: 0, max_points: 67, tests }];
}

/** An exercise the grader could not grade: no check ran (the engine went away). */
export function not_graded(): GradedExercise {
  return {
    version: 3,
    exercise: "92-panne",
    submission: "work/92-panne",
    status: "error",
    error_kind: "engine",
    message: "Le moteur Docker a cessé de répondre pendant la correction.",
    points: 0,
    max_points: 4,
    tests: [],
  };
}
