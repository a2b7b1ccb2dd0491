import { EXIT_CODES, ProgressorError } from '../errors/errors.ts';
import { redact } from '../redact/redact.ts';
import type { CliIo } from './output.ts';

/**
 * Runs a command body, mapping errors to documented exit codes (only cli/ sets them).
 * Known failures print their fix; anything else is an internal error with a report link.
 */
export async function runCommand(io: CliIo, body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (e) {
    if (e instanceof ProgressorError) {
      io.err(e.describe(redact));
      process.exitCode = e.exitCode;
      return;
    }
    const err = e as Error;
    io.err(
      redact(
        `error[INTERNAL]: ${err?.message ?? String(e)}\n  This is a bug in progressor. Please report it with the command you ran and this trace:\n${err?.stack ?? ''}`,
      ),
    );
    process.exitCode = EXIT_CODES.INTERNAL;
  }
}
