// A deadline as a teacher writes it: ISO 8601 with its time zone (a deadline
// read in the machine's zone would move with the CI runner), and a date that
// exists (JavaScript's Date takes 2026-02-30 for 2 March).

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** The instant, or undefined when the text is not such a date or names one that does not exist. */
export function parse_deadline(text: string): Date | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = "0"] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  // The day must exist in that month (and year: 29 February).
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const zone = match[8]!.toUpperCase();
  if (zone !== "Z") {
    const [zh, zm = "0"] = zone.slice(1).split(/:|(?<=^\d\d)/);
    if (Number(zh) > 14 || Number(zm) > 59) return undefined;
  }
  const date = new Date(text.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}
