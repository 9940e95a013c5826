/** Exit codes of `npm run cli` (README, "Command line"). */
export const EXIT = {
  ok: 0,
  /** The command failed (bad data, database error, doctor found a problem). */
  failure: 1,
  /** Bad usage: unknown command or option, missing argument (commander). */
  usage: 2,
  /** Refused because another process holds what the command needs: a projection's lease, the embedded data folder. */
  refused: 3,
  /** Stopped by Ctrl-C (SIGINT) after finishing the chunk in hand; run the command again to resume. */
  interrupted: 130,
} as const;

/** A failure the command line explains itself: its message goes to stderr, its code becomes the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    /** Stable code for `--json` output. */
    readonly code = 'CLI_ERROR',
  ) {
    super(message);
    this.name = 'CliError';
  }
}
