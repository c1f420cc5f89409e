// Commands throw CliError; only cli.ts calls process.exit.
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_CANNOT_GRADE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exit_code: number = EXIT_CANNOT_GRADE,
  ) {
    super(message);
    this.name = "CliError";
  }
}
