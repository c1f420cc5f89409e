// The schema of exercises/<id>/exercise.yaml. Every field is documented here,
// where it is declared; `format` versions the file's shape.
import { z } from "zod";

export const EXERCISE_FORMAT = 1;

/**
 * The base images and parts of this repository's own pack: the defaults of a
 * pack without a course.yaml. A pack's course.yaml lists its own; an
 * exercise's `part` and `base_images` are checked against them (course.ts).
 */
export const BASE_IMAGES = [
  "debian:bookworm-slim",
  "debian:bookworm",
  "python:3.11-slim",
  "node:22-slim",
  "nginx:1.22",
  "golang:1.19",
  "gcc:12",
  "registry:2",
  "scratch",
] as const;

export const PARTS = ["5.1", "5.2", "5.3", "5.4", "5.5", "capstone"] as const;

export const ExerciseMetadata = z
  .object({
    /** Version of this file's format; bumped when fields change meaning. */
    format: z.literal(EXERCISE_FORMAT),
    /** The exercise id: its folder name, "NN-kebab-case". A contract: never renamed. */
    id: z.string().regex(/^\d{2}-[a-z0-9-]+$/, "id must look like 01-premier-dockerfile"),
    /** Title shown to students, in French. */
    title: z.string().min(3),
    /** The part of the course this exercise belongs to: one of course.yaml's `parts` ids. */
    part: z.string().min(1),
    /** Position in the course, 1-based; the list is shown in this order. */
    order: z.number().int().positive(),
    /** Points for the whole exercise: the weights of its checks add up to this. */
    points: z.number().int().positive(),
    /** Base images the exercise builds from: each listed in course.yaml's `base_images`. */
    base_images: z.array(z.string().min(1)).min(1),
    /** Files of the submission the student may change; only these are graded. */
    editable: z.array(z.string().min(1)).min(1),
    /** Progressive hints: a nudge, a direction, almost the answer. */
    hints: z.array(z.string().min(10)).min(3),
  })
  .strict();

export type ExerciseMetadata = z.infer<typeof ExerciseMetadata>;
