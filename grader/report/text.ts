// Colour passed in to the report formats that write text (table.ts), so the
// same code serves a terminal and a file.
export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  gray(s: string): string;
  bold(s: string): string;
}

export const no_paint: Paint = { green: (s) => s, red: (s) => s, yellow: (s) => s, gray: (s) => s, bold: (s) => s };
