// The schema of a course pack's course.yaml, at the pack's root (next to
// exercises/ and solutions/). Every field is documented here, where it is
// declared; `format` versions the file's shape. No Docker here.
import { z } from "zod";

export const COURSE_FORMAT = 1;

/** Where a pack keeps its wrong answers when course.yaml does not say. */
export const DEFAULT_WRONG_ANSWERS = "wrong-answers";

export const CoursePart = z
  .object({
    /** The part's id, as exercise.yaml's `part` names it ("5.1", "bases", "capstone"). */
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/i, "a part id is letters, digits, dots and dashes, e.g. 5.1 or capstone"),
    /** The part's title, shown to students by `dockerlings progress`. */
    title: z.string().min(3),
  })
  .strict();

export const CourseManifest = z
  .object({
    /** Version of this file's format; bumped when fields change meaning. */
    format: z.literal(COURSE_FORMAT),
    /** The pack's name, a slug: results (grade --json, JUnit, Classroom) carry it with `version`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "name must be a slug such as dockerlings or docker-bootcamp-2026"),
    /** The pack's title, for people. */
    title: z.string().min(3),
    /** The language of lessons, hints and check names (BCP 47: fr, en, pt-BR). */
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "language must be a BCP 47 tag such as fr or en"),
    /** The pack's version (semver): a result says which version of the pack graded it. */
    version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, "version must be semver, e.g. 1.0.0"),
    /** The parts of the course, in the order they are taught; every exercise belongs to one. */
    parts: z.array(CoursePart).min(1),
    /**
     * Every image the pack needs: each base image its exercises build from, and
     * any image a spec starts (a registry). Each needs a recipe in
     * scripts/base-images.sh (so an offline classroom can make it), except scratch.
     */
    base_images: z.array(z.string().min(1)).min(1),
    /** The folder of wrong answers, relative to the pack (default wrong-answers): <id>/<name>/expect.yaml + files. */
    wrong_answers: z.string().min(1).optional(),
    /**
     * What the watch loop says the first time a student opens it (the
     * course's language, plain text, a few short paragraphs): how the course
     * works, what to do first. Optional.
     */
    welcome_message: z.string().trim().min(1).optional(),
    /**
     * What the student reads once every exercise passes (after the watch
     * loop has checked them all again, and under `check`'s « bravo »): where
     * to go next. Optional.
     */
    final_message: z.string().trim().min(1).optional(),
  })
  .strict();

export type CourseManifest = z.infer<typeof CourseManifest>;
export type CoursePart = z.infer<typeof CoursePart>;
