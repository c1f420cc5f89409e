// A small CSV reader and writer (RFC 4180: quotes, doubled quotes, line breaks
// inside quotes, CRLF or LF, a UTF-8 BOM). The reader keeps the line each
// record starts on, so a roster's errors can name it. No dependency: the
// rosters and gradebooks are small and their dialect is plain.

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

/** Records of the text, blank lines skipped; `delimiter` guessed from the first line (`,` or `;`) unless given. */
export function read_csv(text: string, delimiter?: string): CsvRecord[] {
  const source = text.replace(/^\uFEFF/, "");
  const first_line = source.split(/\r?\n/, 1)[0] ?? "";
  const sep = delimiter ?? (first_line.split(";").length > first_line.split(",").length ? ";" : ",");
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let record_line = 1;
  let quoted = false;
  let quote_line = 0;
  let field_started = false;
  const end_record = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "" && !field_started)) records.push({ line: record_line, fields });
    fields = [];
    field = "";
    field_started = false;
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      quote_line = line;
      field_started = true;
    } else if (ch === sep) {
      fields.push(field);
      field = "";
      field_started = true;
    } else if (ch === "\r" && source[i + 1] === "\n") {
      continue;
    } else if (ch === "\n") {
      end_record();
      line++;
      record_line = line;
    } else {
      field += ch;
      field_started = true;
    }
  }
  if (quoted) throw new CsvSyntaxError(`guillemet ouvert ligne ${quote_line} jamais refermé`, quote_line);
  if (field !== "" || fields.length > 0 || field_started) end_record();
  return records;
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
