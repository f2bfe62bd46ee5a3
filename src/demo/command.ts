/**
 * `npm run demo`: synthesise a small seized export (≈200,000 calls), ingest it into a case and
 * print what the case holds, analyse it and print the findings, write the report, create one user
 * per role, send a small approved campaign to the local SMS centre, and run the console.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { analyzeCase } from '../analyze/analyze.ts';
import { loadInputs } from '../analyze/inputs.ts';
import { intelInputs } from '../synth/intel.ts';
import { analysisDetail, describe } from '../analyze/command.ts';
import { caseInfo } from '../case/info.ts';
import { printInfo } from '../case/info-command.ts';
import { openCase } from '../case/store.ts';
import { ingestDetail, ingestExport } from '../ingest/ingest.ts';
import { auditCaseStep } from '../audit/cli.ts';
import type { Effects } from '../shared/effects.ts';
import { writeReport } from '../report/command.ts';
import { parseOptions } from '../shared/options.ts';
import { synthCommand } from '../synth/command.ts';
import { startConsole, untilStopped } from '../console/command.ts';
import { openOps } from '../ops/open.ts';
import { table } from '../shared/table.ts';
import { demoPackage } from './package.ts';
import { createDemoUsers, type DemoLogin } from './users.ts';
import { demoCampaign } from './outreach.ts';
import { listUsers } from '../users/users.ts';
import type { User } from '../users/roles.ts';

const Options = z.object({
  dir: z.string().min(1),
  calls: z.string().regex(/^\d+$/),
  serve: z.boolean().default(true),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
});

export async function demoCommand(raw: unknown, fx: Effects): Promise<void> {
  const opts = parseOptions(Options, raw);
  const exportDir = path.join(opts.dir, 'export');
  const caseDir = path.join(opts.dir, 'case');
  // The demo owns its folder: each run starts from nothing.
  fs.rmSync(opts.dir, { recursive: true, force: true });
  fx.out(
    `Synthesising a seized export of ${Number(opts.calls).toLocaleString('en-GB')} calls in ${exportDir} …`,
  );
  await synthCommand({ out: exportDir, calls: opts.calls, seed: '1', callsFormat: 'asterisk' }, fx);
  fx.out(`\nIngesting it into the case ${caseDir} …`);
  const result = await ingestExport({ exportDir, caseDir }, fx);
  await auditCaseStep(caseDir, 'ingest', ingestDetail(exportDir, result), fx.now());
  fx.out(
    `${result.rows.toLocaleString('en-GB')} rows: ${result.loaded.toLocaleString('en-GB')} loaded, ${result.quarantined.toLocaleString('en-GB')} quarantined\n`,
  );
  const store = await openCase(caseDir);
  try {
    fx.out(printInfo(caseDir, await caseInfo(store.conn)));
  } finally {
    store.close();
  }
  // The lists and the block-explorer export a unit is given beside the seized files.
  const intel = intelInputs(exportDir);
  fx.out(
    `\nAnalysing the case${intel ? " with the export's transactions and IP lists (intel/)" : ''} …`,
  );
  const inputs = intel ? await loadInputs(caseDir, intel, fx) : null;
  const analysis = await analyzeCase(caseDir, fx);
  await auditCaseStep(
    caseDir,
    'analysis',
    await analysisDetail(caseDir, analysis, inputs),
    fx.now(),
  );
  fx.out(describe(analysis));
  const report = path.join(opts.dir, 'report.html');
  await writeReport(caseDir, report, fx);
  fx.out(`\nThe case report (one self-contained HTML file): ${path.resolve(report)}`);
  fx.out(
    [
      '',
      'Next:',
      `  npx unspoof stats --case ${caseDir}`,
      `  npx unspoof victims --case ${caseDir} --country GB --tier likely,harmed --out victims.csv`,
      `  npx unspoof suspects --case ${caseDir} --priority --out suspects.csv`,
      `  npx unspoof crews --case ${caseDir} --out crews.csv --links links.csv`,
      `  npx unspoof requests --case ${caseDir} --country GB --out requests-gb.csv`,
      `  npx unspoof payments --case ${caseDir} --unvalued --out unvalued.csv`,
      `  npx unspoof quarantine --case ${caseDir} --out quarantine.csv`,
      `  npx unspoof serve --case ${caseDir}`,
    ].join('\n'),
  );
  const ops = await openOps(caseDir);
  let logins: DemoLogin[];
  try {
    logins = await createDemoUsers(ops, fx.now());
    const user = async (name: string) =>
      (await listUsers(ops)).find((u) => u.name === name) as User;
    await demoCampaign(
      caseDir,
      ops,
      { outreach: await user('outreach'), supervisor: await user('supervisor') },
      fx,
    );
    const { built, identityFile } = await demoPackage(
      caseDir,
      ops,
      {
        admin: await user('admin'),
        analyst: await user('analyst'),
        supervisor: await user('supervisor'),
      },
      { dir: opts.dir, country: 'US', partner: 'Demo partner unit (US)' },
      fx.now(),
    );
    fx.out(
      [
        '',
        `The evidence package for the demo partner (US), approved by a second person: ${path.resolve(built.file)}`,
        `  age -d -i ${identityFile} ${built.file} | tar -t`,
        `  npx unspoof package verify ${built.file} --identity ${identityFile} --key ${built.fingerprint}`,
      ].join('\n'),
    );
  } finally {
    await ops.close();
  }
  fx.out(
    [
      '',
      'DEMO MODE ONLY — one user per role, with their password and TOTP secret. Get a one-time',
      'code with an authenticator app from the secret, or with:',
      '  npx unspoof demo-code --name NAME --secret SECRET',
      '',
      table(
        ['user', 'role', 'password', 'TOTP secret'],
        logins.map((l) => [
          l.name,
          l.country ? `${l.role} (${l.country})` : l.role,
          l.password,
          l.totpSecret,
        ]),
      ),
    ].join('\n'),
  );
  if (!opts.serve) return;
  const running = await startConsole({ case: caseDir, port: opts.port }, fx).catch((e: unknown) =>
    (e as { code?: string }).code === 'PORT_IN_USE'
      ? startConsole({ case: caseDir, port: 0 }, fx)
      : Promise.reject(e),
  );
  fx.out(
    `\nThe console is at ${running.url} — sign in as analyst and open Crews, or as outreach and open\n` +
      `Phone: the texts the pilot campaign's victims received. A victim checks a text and reports\n` +
      `what happened at ${running.url}report (Ctrl-C to stop).`,
  );
  await untilStopped(running);
}
