// Deadlines and late credit, as a class's roster states them: a deadline and
// a late policy for the course, for a section, for a student (a student's
// entry beats their section's, which beats the course's; the deadline and
// the policy each on their own, so an extension keeps the section's policy).
// A late policy is a list of steps after the deadline, PrairieLearn's credit
// timeline: full credit until the deadline, then each step's credit until
// its `until` (a duration after the deadline), then nothing. The commit
// graded is the last one before the end of the timeline, its points
// multiplied by the credit of when it was committed.

export interface LateStep {
  /** How long after the deadline this step lasts (ms). */
  until_ms: number;
  /** The share of the points kept, from 0 to 1. */
  credit: number;
}

/** A deadline rule as one level of the roster gives it: each field its own (absent: the level above decides). */
export interface DeadlineRule {
  deadline?: Date;
  late?: LateStep[];
}

/** Where a student's deadline or late policy comes from. */
export type RuleLevel = "student" | "section" | "course";

/** The rule that applies to one student, each part with where it comes from. */
export interface StudentRule {
  deadline?: Date;
  deadline_from?: RuleLevel;
  late: LateStep[];
  late_from?: RuleLevel;
}

const UNITS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/** `1d`, `36h`, `1d12h`, `90m`, `2w` as milliseconds; undefined when the text is not such a duration. */
export function parse_duration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+\s*[wdhm]\s*)+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)\s*([wdhm])/g)) total += Number(n) * UNITS[unit!]!;
  return total > 0 ? total : undefined;
}

/** `0.8`, `80%`, `80 %` as a share from 0 to 1; undefined otherwise. */
export function parse_credit(value: unknown): number | undefined {
  if (typeof value === "number") return value >= 0 && value <= 1 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const percent = /^\s*(\d+(?:[.,]\d+)?)\s*%\s*$/.exec(value);
  if (percent) {
    const n = Number(percent[1]!.replace(",", ".")) / 100;
    return n >= 0 && n <= 1 ? n : undefined;
  }
  const n = Number(value);
  return value.trim() !== "" && Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

/** The student's rule: their own entry's, else their section's, else the course's, field by field. */
export function resolve_rule(levels: { student?: DeadlineRule; section?: DeadlineRule; course?: DeadlineRule }): StudentRule {
  const order: [RuleLevel, DeadlineRule | undefined][] = [["student", levels.student], ["section", levels.section], ["course", levels.course]];
  const deadline = order.find(([, r]) => r?.deadline !== undefined);
  const late = order.find(([, r]) => r?.late !== undefined);
  return {
    ...(deadline ? { deadline: deadline[1]!.deadline!, deadline_from: deadline[0] } : {}),
    late: late ? late[1]!.late! : [],
    ...(late ? { late_from: late[0] } : {}),
  };
}

/** The end of the credit timeline: the last instant a commit earns anything (the deadline itself without late steps). */
export function timeline_end(rule: StudentRule): Date | undefined {
  if (!rule.deadline) return undefined;
  const last = [...rule.late].reverse().find((s) => s.credit > 0);
  return new Date(rule.deadline.getTime() + (last?.until_ms ?? 0));
}

/** The credit of a commit made at `time`: 1 until the deadline, each step's until its end, 0 after the last. */
export function credit_at(rule: StudentRule, time: Date): number {
  if (!rule.deadline) return 1;
  const late_ms = time.getTime() - rule.deadline.getTime();
  if (late_ms <= 0) return 1;
  for (const step of rule.late) if (late_ms <= step.until_ms) return step.credit;
  return 0;
}

/** "2 j 04 h" ("2 d 04 h" in English), "36 h", "15 min": how late, for a person. */
export function lateness_text(ms: number, lang: "fr" | "en" = "fr"): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${String(minutes % 60).padStart(2, "0")}` : ""}`;
  return `${Math.floor(hours / 24)} ${lang === "fr" ? "j" : "d"} ${String(hours % 24).padStart(2, "0")} h`;
}
