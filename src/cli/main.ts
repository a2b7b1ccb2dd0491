#!/usr/bin/env node
import { Command } from 'commander';
import { registerAudit } from './audit.ts';
import { registerClaim } from './claim.ts';
import { EXIT_HELP } from './exit-codes.ts';
import { registerLint } from './lint.ts';
import { registerNext } from './next.ts';
import { registerProbe } from './probe.ts';
import { registerRelease } from './release.ts';
import { registerValidate } from './validate.ts';

// Commands register themselves here, one line each, sorted by name.
const program = new Command('progressor')
  .description('Moves failure issues forward honestly: evidence, Five Whys, one living status comment.')
  .version('0.1.0')
  .showHelpAfterError()
  .addHelpText('after', EXIT_HELP);

registerAudit(program);
registerClaim(program);
registerLint(program);
registerNext(program);
registerProbe(program);
registerRelease(program);
registerValidate(program);

await program.parseAsync(process.argv);
