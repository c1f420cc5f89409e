// Dolos's reading of an info.csv, ported from its source (dodona-edu/dolos,
// lib/src/lib/dataset.ts Dataset.fromCSV and setIgnoredFile, lib/src/lib/
// reader.ts readPath, lib/src/lib/language.ts LanguagePicker.detectLanguage,
// lib/src/lib/dolos.ts Dolos.analyze): what `dolos run -f web DIR/info.csv`
// takes from our folder, so that a test holds the folder to Dolos's rules
// rather than to our own golden file.
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";

export interface DolosFile {
  path: string;
  content: string;
  /** ExtraInfo (core/src/file/file.ts), as fromCSV builds it. */
  extra: { filename: string; fullName: string; labels: string; createdAt: Date; ignored: string };
}

export interface DolosDataset {
  files: DolosFile[];
  ignored?: DolosFile;
  /** The language Dolos detects: the one of the most common extension. */
  language: string;
}

/** LanguagePicker's table, the entries that matter here: char reads .txt and .md; nothing reads a file without extension. */
const BY_EXTENSION: Record<string, string> = { ".txt": "char", ".md": "char", ".py": "python", ".js": "javascript", ".sh": "bash" };

/** File.extension: from the last dot of the path, "" when none. */
const extension = (file: string): string => (file.lastIndexOf(".") < 0 ? "" : file.slice(file.lastIndexOf(".")));

export function dolos_read(info_csv: string): DolosDataset {
  const dirname = path.dirname(info_csv);
  // d3-dsv's csvParse: the first row names the columns (RFC 4180 quoting, \n or \r\n).
  const rows = parse(fs.readFileSync(info_csv, "utf8"), { columns: true, skip_empty_lines: false, relax_column_count: true }) as Record<string, string | undefined>[];
  const read = rows.map((row) => {
    const extra = {
      filename: row.filename as string,
      fullName: row.full_name as string,
      createdAt: new Date(row.created_at as string),
      labels: (row.label || row.labels) as string,
      ignored: row.ignored as string,
    };
    // readPath: path.join(dirname, filename), read whole; any failure fails the whole CSV.
    const file = path.join(dirname, extra.filename);
    if (!fs.existsSync(file)) throw new Error("The given '.csv'-file could not be opened");
    return { path: file, content: fs.readFileSync(file).toString(), extra };
  });
  // setIgnoredFile: at most one file with ignored "true", the template.
  const ignored = read.filter((f) => f.extra.ignored === "true");
  if (ignored.length > 1) throw new Error("More than one file has the ignored field set to true. Only one template/boilerplate code file is allowed at this moment.");
  const files = read.filter((f) => f.extra.ignored !== "true");
  // detectLanguage: the language of the most common extension; none known is an error.
  const counts = new Map<string, number>();
  let best = 0;
  let language: string | undefined;
  for (const f of files) {
    const count = (counts.get(extension(f.path).toLowerCase()) ?? 0) + 1;
    if (count > best) {
      best = count;
      language = BY_EXTENSION[extension(f.path).toLowerCase()];
    }
    counts.set(extension(f.path).toLowerCase(), count);
  }
  if (!language) throw new Error("Could not detect language based on extension.");
  // analyze: files of another extension than the detected language's are dropped (with a warning).
  const kept = files.filter((f) => Object.entries(BY_EXTENSION).some(([ext, lang]) => lang === language && f.path.endsWith(ext)));
  if (kept.length < 2) throw new Error("You need to supply at least two files");
  return { files: kept, ...(ignored[0] ? { ignored: ignored[0] } : {}), language };
}
