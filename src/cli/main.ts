#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../errors/errors.ts';
import { registerAudit } from './audit.ts';
import { registerClaim } from './claim.ts';
import { EXIT_HELP } from './exit-codes.ts';
import { registerLint } from './lint.ts';
import { registerNext } from './next.ts';
import { registerProbe } from './probe.ts';
import { registerRelease } from './release.ts';
import { registerRules } from './rules.ts';
import { registerScan } from './scan.ts';
import { registerValidate } from './validate.ts';

// Commands register themselves here, one line each, sorted by name.
const program = new Command('progressor')
  .description('Moves failure issues forward honestly: evidence, Five Whys, one living status comment.')
  .version('0.1.0')
  .showHelpAfterError()
  .addHelpText('after', EXIT_HELP)
  .exitOverride();

registerAudit(program);
registerClaim(program);
registerLint(program);
registerNext(program);
registerProbe(program);
registerRelease(program);
registerRules(program);
registerScan(program);
registerValidate(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // commander has printed its message; usage errors exit with the documented code.
  if (e instanceof CommanderError) {
    const benign = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
    process.exitCode = benign ? EXIT_CODES.OK : EXIT_CODES.USAGE;
  } else throw e;
}
