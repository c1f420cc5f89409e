// Cohorts: a class's roster, its submissions fetched, graded by the one
// pipeline, kept in a SQLite history, reported, sharded over a CI matrix.
export { load_roster, parse_roster, repository_url_problem, RosterError, type Roster, type Student, type StudentSource, type RosterForm, type RosterIssue, type RosterOptions } from "./roster.js";
export { read_csv, write_csv, CsvSyntaxError, type CsvRecord } from "./csv.js";
export { fetch_submission, cache_name, DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_REPOSITORY_LIMIT_BYTES, type FetchOptions, type FetchOutcome } from "./fetch.js";
export { History, HistoryError, SCHEMA_VERSION, type RunInfo, type ResultRow, type StudentRow, type SubmissionRow, type SubmissionStatus, type HistoryStatus } from "./history.js";
export { grade_cohort, default_concurrency, students_of, type WorkerGrader, type CohortOptions, type CohortEvent, type CohortRun, type StudentDone, type StudentOutcome } from "./grade-cohort.js";
export { parse_shard, shard_of, shard_text, type Shard } from "./shard.js";
export { grader_version, course_version } from "./versions.js";
export { merge_histories, MergeRefusedError } from "./merge.js";
export { cohort_report, type CohortReport } from "./report-model.js";
export { report_html } from "./report-html.js";
export { report_csv, report_canvas, report_moodle, report_json } from "./report-files.js";
