// `dockerlings serve`: the grading service itself (grader/service/server.ts),
// started by `check` and `grade` in the background, never by hand. It ends
// by itself (idle, `dockerlings stop`, replaced by another version).
import { default_course_root } from "../../../grader/course/course.js";

export async function serve_command(options: { socket: string; stamp: string }): Promise<number> {
  const { serve } = await import("../../../grader/index.js");
  await serve({ socket: options.socket, stamp: options.stamp, course_root: default_course_root() });
  return 0;
}
