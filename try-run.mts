import { run_specs, load_course, default_course_root } from "./grader/index.js";
const course = load_course();
const ex = course[0]!;
const r = await run_specs([{ exercise: ex, submission_dir: process.argv[2]! }], { course_root: default_course_root() });
console.log(JSON.stringify(r, null, 2));
