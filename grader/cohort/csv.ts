// CSV in and out. Reading is csv-parse's (RFC 4180: quotes, doubled quotes,
// line breaks inside quotes, CRLF or LF, a UTF-8 BOM), keeping the line each
// record starts on so that a roster's errors can name it. Writing stays here:
// a few lines that also keep a spreadsheet from reading a cell as a formula.
import { CsvError, parse } from "csv-parse/sync";

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/** The parser's counters when a record ends (csv-parse's `info`). */
interface RecordInfo {
  lines: number;
  empty_lines: number;
}

const PARSE_OPTIONS = {
  // A short or long row is the roster's to report (with its line), not a syntax error.
  relax_column_count: true,
  // A quote inside an unquoted field is text (`Dan "the man" Roux`).
  relax_quotes: true,
  skip_empty_lines: true,
  info: true,
} as const;

type Parsed = { record: string[]; info: RecordInfo }[];

/** The line each record starts on: the first line after the previous record's end that is not blank. */
function with_lines(parsed: Parsed): CsvRecord[] {
  let previous: RecordInfo = { lines: 0, empty_lines: 0 };
  return parsed.map(({ record, info }) => {
    const line = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    return { line, fields: record };
  });
}

/** Records of the text, blank lines skipped; `delimiter` guessed from the first line (`,` or `;`) unless given. */
export function read_csv(text: string, delimiter?: string): CsvRecord[] {
  // One line end: csv-parse counts a CRLF inside a quoted field as two lines, which would shift every line after it.
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const first_line = source.split("\n", 1)[0] ?? "";
  const sep = delimiter ?? (first_line.split(";").length > first_line.split(",").length ? ";" : ",");
  const options = { ...PARSE_OPTIONS, delimiter: sep };
  try {
    return with_lines(parse(source, options) as unknown as Parsed);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const { lines = 1, records = 0 } = error as CsvError & { lines?: number; records?: number };
    if (error.code !== "CSV_QUOTE_NOT_CLOSED") throw new CsvSyntaxError(`ligne ${lines} : ${error.message}`, lines);
    // The parser stops at the end of the text: the open record starts on the first line, not blank, after the last complete one.
    const complete = records > 0 ? (parse(source, { ...options, to: records }) as unknown as Parsed) : [];
    const lines_of = source.split("\n");
    let starts = (complete.at(-1)?.info.lines ?? 0) + 1;
    while (starts < lines_of.length && lines_of[starts - 1]!.trim() === "") starts++;
    throw new CsvSyntaxError(`guillemet ouvert dans la ligne ${starts} jamais refermé`, starts);
  }
}

function quote(value: string | number | undefined): string {
  const text = value === undefined ? "" : String(value);
  // A leading =, +, - or @ would be a formula in a spreadsheet: kept as text (OWASP's CSV injection advice).
  const safe = /^[=+@\t\r]/.test(text) || (/^-/.test(text) && !/^-?\d/.test(text)) ? `'${text}` : text;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV text with CRLF line ends, as spreadsheet programs and gradebooks expect. */
export function write_csv(rows: (string | number | undefined)[][]): string {
  return rows.map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
}
