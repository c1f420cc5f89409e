// The schema of a wrong answer's expect.yaml: <pack>/<wrong_answers>/<id>/<name>/
// holds files laid over a copy of solutions/<id>/, and this file says which
// check must fail and what its message (and output) must say. No Docker here.
import { z } from "zod";

export const WrongAnswerExpectation = z
  .object({
    /** What the wrong answer does, in one line (shown when it is let through). */
    why: z.string().min(5),
    /** A substring of the name of the check that must fail. */
    fails: z.string().min(3),
    /** A regular expression (dot matches newlines) the failing check's message must match. */
    message: z.string().min(3),
    /** A regular expression its output must match: what is shown beside the message (a failed build's step, a container's logs), never in it. */
    output: z.string().min(3).optional(),
    /** Files of the solution to remove before grading (a wrong answer that forgets one). */
    delete: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type WrongAnswerExpectation = z.infer<typeof WrongAnswerExpectation>;
