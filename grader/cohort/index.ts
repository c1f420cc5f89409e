// Cohorts: a class's roster, its submissions fetched, graded by the one
// pipeline, kept in a SQLite history, reported, sharded over a CI matrix.
// What is reported for a student and an exercise comes from one function:
// class_standing (standing.ts).
export { load_roster, parse_roster, repository_url_problem, RosterError, type Roster, type Student, type StudentSource, type RosterForm, type RosterIssue, type RosterOptions } from "./roster.js";
export { read_csv, write_csv, CsvSyntaxError, type CsvRecord } from "./csv.js";
export { fetch_submission, cache_name, DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_REPOSITORY_LIMIT_BYTES, type FetchOptions, type FetchOutcome } from "./fetch.js";
export { History, HistoryError, SCHEMA_VERSION, type RunInfo, type ResultRow, type StudentRow, type SubmissionRow, type SubmissionStatus, type HistoryStatus, type PushedLate } from "./history.js";
export { class_standing, student_standing, exercise_order, type ClassStanding, type StudentStanding, type ExerciseStanding, type ExerciseState, type StandingOptions } from "./standing.js";
export { parse_deadline } from "./deadline.js";
export { grade_cohort, default_concurrency, students_of, type WorkerGrader, type CohortOptions, type CohortEvent, type CohortRun, type StudentDone, type StudentOutcome } from "./grade-cohort.js";
export { parse_shard, shard_of, shard_text, type Shard } from "./shard.js";
export { grader_version, course_version } from "./versions.js";
export { merge_histories, MergeRefusedError } from "./merge.js";
export { cohort_report, type CohortReport, type ReportStudent, type Cell } from "./report-model.js";
export { report_html } from "./report-html.js";
export { report_csv, report_canvas, report_moodle, report_json, CANVAS_TITLE_AND_ID, type Gradebook, type GradebookWarning, type MoodleOptions } from "./report-files.js";
export {
  compare_exercise, collect_dockerfiles, starter_dockerfile, DEFAULT_COMMON_SHARE, DEFAULT_MIN_SHARED,
  type ExerciseSimilarity, type SimilarPair, type SharedFragment, type SimilaritySubmission, type SimilarityOptions, type CollectedClass,
} from "./similarity.js";
export { similarity_html, similarity_csv, write_dolos } from "./similarity-files.js";
export { parse_duration, parse_credit, credit_at, timeline_end, resolve_rule, lateness_text, type LateStep, type DeadlineRule, type StudentRule, type RuleLevel } from "./late.js";
export { rule_of } from "./roster.js";
export { student_pages, type StudentPage } from "./student-page.js";
export { read_attempt_lines, summarise_lines, submission_attempts, HISTORY_FILE } from "./attempts.js";
export type { OverrideRow, AttemptsRow } from "./history.js";
