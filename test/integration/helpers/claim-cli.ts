// CLI entry with only the claim commands, for tests that start many processes. Same
// registration code as src/cli/main.ts.
import { Command } from 'commander';
import { registerClaim } from '../../../src/cli/claim.ts';
import { registerNext } from '../../../src/cli/next.ts';
import { registerRelease } from '../../../src/cli/release.ts';

const program = new Command('progressor');
registerClaim(program);
registerNext(program);
registerRelease(program);
await program.parseAsync(process.argv);
