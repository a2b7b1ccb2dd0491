#!/usr/bin/env node
import '../runtime/compile-cache.ts';
import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../errors/errors.ts';
import { EXIT_HELP } from './exit-codes.ts';

// The program; its commands are listed below, one line each, sorted by name.
const program = new Command('progressor')
  .description('Moves failure issues forward honestly: evidence, Five Whys, one living status comment.')
  .version('0.1.0')
  // A usage error is one line plus this pointer, not the whole help (issue 11).
  .showHelpAfterError("see 'progressor --help'")
  .addHelpText('after', EXIT_HELP)
  .exitOverride();

// Each command module is loaded only when it is the one asked for (they pull in Octokit,
// database drivers, worker pools); `--help` and unknown commands load them all.
const commands: Record<string, () => Promise<(program: Command) => void>> = {
  audit: async () => (await import('./audit.ts')).registerAudit,
  claim: async () => (await import('./claim.ts')).registerClaim,
  lint: async () => (await import('./lint.ts')).registerLint,
  next: async () => (await import('./next.ts')).registerNext,
  probe: async () => (await import('./probe.ts')).registerProbe,
  release: async () => (await import('./release.ts')).registerRelease,
  rules: async () => (await import('./rules.ts')).registerRules,
  run: async () => (await import('./run.ts')).registerRun,
  runs: async () => (await import('./runs.ts')).registerRuns,
  scan: async () => (await import('./scan.ts')).registerScan,
  validate: async () => (await import('./validate.ts')).registerValidate,
  verify: async () => (await import('./verify.ts')).registerVerify,
};
const asked = process.argv[2];
// `--version` needs no command at all; `--help` and unknown words list them all.
const versionOnly = asked === '--version' || asked === '-V';
const load = versionOnly ? [] : asked && asked in commands ? [commands[asked]!] : Object.values(commands);
for (const register of await Promise.all(load.map((l) => l()))) register(program);
// Each command's usage errors point at its own help.
const pointHelp = (cmd: Command, path: string): void => {
  for (const sub of cmd.commands) {
    const name = `${path} ${sub.name()}`;
    sub.showHelpAfterError(`see '${name} --help'`);
    pointHelp(sub, name);
  }
};
pointHelp(program, 'progressor');

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // commander has printed its message; usage errors exit with the documented code.
  if (e instanceof CommanderError) {
    const benign = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
    process.exitCode = benign ? EXIT_CODES.OK : EXIT_CODES.USAGE;
  } else throw e;
}
