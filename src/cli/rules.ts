import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { matchText, type CompiledRule } from '../rules/compile-rule.ts';
import { exportRulesForRg, renderRgPatternFile } from '../rules/export-rg.ts';
import { loadRules } from '../rules/load-rules.ts';
import { logRules } from '../scan/scan-plan.ts';
import { processIo, type CliIo } from './output.ts';
import { runCommand } from './run-command.ts';

interface RulesOpts {
  rules: string[];
  format?: string;
  output?: string;
  noBuiltin?: boolean;
  builtin?: boolean;
}

async function load(opts: RulesOpts): Promise<CompiledRule[]> {
  return loadRules({ dirs: opts.rules, noBuiltin: opts.builtin === false });
}

/** `rules export --format rg|tsv`: the log rules as a ripgrep pattern file. */
export async function rulesExportCommand(opts: RulesOpts, io: CliIo = processIo): Promise<number> {
  const exp = exportRulesForRg(logRules(await load(opts)));
  const text =
    opts.format === 'tsv'
      ? exp.patterns.map((p) => `${p.rule}\t${p.pattern}\t${p.suppress ?? ''}\n`).join('')
      : renderRgPatternFile(exp);
  if (opts.output) writeFileSync(opts.output, text);
  else process.stdout.write(text);
  for (const s of exp.skipped) io.err(`skipped ${s.rule}: ${s.reason} (ripgrep 13 cannot express it)`);
  return 0;
}

/** `rules list`: id, kind, category, owner, file. */
export async function rulesListCommand(opts: RulesOpts, io: CliIo = processIo): Promise<number> {
  const rules = await load(opts);
  if (opts.format === 'json') {
    io.out(
      JSON.stringify(
        rules.map((r) => ({ id: r.id, kind: r.kind, category: r.category, layer: r.layer, owner: r.owner, title: r.title, file: r.file })),
        null,
        2,
      ),
    );
    return 0;
  }
  for (const r of rules) io.out(`${r.id.padEnd(40)} ${r.kind.padEnd(6)} ${r.category.padEnd(24)} ${r.owner.padEnd(14)} ${r.file}`);
  return 0;
}

/**
 * `rules test`: every text rule's examples (match must fire, noMatch must not). Thread and
 * probe examples need their detectors and are checked by the rules catalogue test.
 */
export async function rulesTestCommand(opts: RulesOpts, io: CliIo = processIo): Promise<number> {
  const rules = await load(opts);
  let failures = 0;
  let checked = 0;
  for (const r of rules) {
    if (r.kind !== 'text') continue;
    for (const ex of r.spec.examples.match) {
      if (typeof ex !== 'string') continue;
      checked++;
      if (matchText(r, ex).length === 0) {
        failures++;
        io.out(`FAIL ${r.id} (${r.file}): should match: ${ex}`);
      }
    }
    for (const ex of r.spec.examples.noMatch) {
      if (typeof ex !== 'string') continue;
      checked++;
      if (matchText(r, ex).length > 0) {
        failures++;
        io.out(`FAIL ${r.id} (${r.file}): should not match: ${ex}`);
      }
    }
  }
  io.out(`${checked - failures}/${checked} rule examples pass${failures ? `, ${failures} fail` : ''}.`);
  return failures > 0 ? 1 : 0;
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('List, export and test the rules.');
  const dirs = (v: string, acc: string[]) => [...acc, v];
  rules
    .command('export')
    .description('Export the log rules as a ripgrep pattern file (rg -f), or tsv: rule, pattern, suppressing pattern.')
    .addOption(new Option('--format <format>', 'export format').choices(['rg', 'tsv']).default('rg'))
    .option('--rules <dir>', 'extra rules folder (repeatable)', dirs, [] as string[])
    .option('--no-builtin', 'leave out the built-in rules')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (opts: RulesOpts) => runCommand(processIo, () => rulesExportCommand(opts)));
  rules
    .command('list')
    .description('List the rules.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--rules <dir>', 'extra rules folder (repeatable)', dirs, [] as string[])
    .option('--no-builtin', 'leave out the built-in rules')
    .action(async (opts: RulesOpts) => runCommand(processIo, () => rulesListCommand(opts)));
  rules
    .command('test')
    .description("Run every rule's examples (must match / must not match).")
    .option('--rules <dir>', 'extra rules folder (repeatable)', dirs, [] as string[])
    .option('--no-builtin', 'leave out the built-in rules')
    .action(async (opts: RulesOpts) => runCommand(processIo, () => rulesTestCommand(opts)));
}
