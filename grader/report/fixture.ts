// A known mix of results for the report tests: one exercise passed (10/10),
// one partly (1/3, with a Dockerfile line and hostile text in its message),
// one refused (0/5, no checks). Total 11/18.
import type { GradedExercise } from "./summary.js";

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
        { name: "l'image se construit", status: "pass", points: 2, max_points: 2 },
        { name: "l'image part de python:3.11-slim", status: "pass", points: 2, max_points: 2 },
        { name: "elle affiche le message", status: "pass", points: 4, max_points: 4 },
        { name: "CMD en forme exec", status: "pass", points: 2, max_points: 2 },
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
        },
      ],
    },
    {
      version: 3,
      exercise: "91-refuse",
      status: "error",
      message: "Soumission refusée : elle contient « spec.test.ts », un fichier de test.",
      points: 0,
      max_points: 5,
      tests: [],
    },
  ];
}

export const COURSE = { name: "dockerlings", version: "9.9.9" };
export const GRADED_AT = new Date("2025-01-02T03:04:05.000Z");
