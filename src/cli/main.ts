/**
 * The one CLI entry. Commands are declared here (name, options, help) and their code is loaded
 * only when the command runs. One top-level handler turns errors into a message and exit code.
 * Progress goes to stderr, so `--json` output on stdout stays clean.
 */
import { Command, CommanderError, Option } from 'commander';
import { ERRORS, isUnspoofError } from '../shared/errors.ts';
import { defaultEffects } from '../shared/effects.ts';

/** `--format` of the read-outs that write tables (the same formats as src/readout/export.ts). */
const exportFormat = (help: string) =>
  new Option('--format <f>', help).choices(['csv', 'json', 'parquet']);

/** Collects a repeated option into a list. */
function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

const program = new Command('unspoof')
  .description('Turn a seized caller-ID spoofing service’s records into a case.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

program
  .command('synth')
  .description('write a synthetic seized export with the published shape of iSpoof, and its truth')
  .requiredOption('--out <dir>', 'folder to write the export to (must be empty or absent)')
  .addOption(new Option('--calls <n>', 'number of calls').conflicts('scale'))
  .addOption(new Option('--scale <x>', 'scale (1 = 59,000 accounts, 10,000,000 calls)'))
  .option('--seed <s>', 'random seed (same seed, same export)', '1')
  .addOption(
    new Option('--calls-format <f>', 'how calls are written')
      .choices(['canonical', 'asterisk', 'freeswitch'])
      .default('canonical'),
  )
  .addOption(
    new Option('--clock <c>', 'switch times in the server’s local time, or in UTC (usegmtime)')
      .choices(['local', 'utc'])
      .default('local'),
  )
  .option('--json', 'print the summary as JSON')
  .action(async (opts) =>
    (await import('../synth/command.ts')).synthCommand(opts, defaultEffects()),
  );

program
  .command('ingest')
  .description('load a seized export into a case (normalise, validate, quarantine)')
  .argument('<seized_dir>', 'the seized export folder')
  .requiredOption('--case <dir>', 'the case folder (created if absent)')
  .option(
    '--timezone <tz>',
    'IANA time zone of the seized server (switch records are local time), or auto: read from the switch files’ own clocks',
  )
  .option('--mapping <file>', 'a column mapping file for CSVs in other layouts')
  .option('--brands <file>', 'brand numbers that extend the shipped list')
  .option(
    '--country <cc>',
    'the seized server’s home country (e.g. GB): the country of calls whose route names none',
  )
  .option(
    '--outside-line <digits>',
    'the outside-line prefix users dial before a number (e.g. 9), read without it',
  )
  .option(
    '--max-quarantine <fraction>',
    'exit non-zero (after loading) when more than this fraction of a file is quarantined; 1 never (default 0.05)',
  )
  .option('--json', 'print the result as JSON')
  .action(async (dir, opts) =>
    (await import('../ingest/command.ts')).ingestCommand(dir, opts, defaultEffects()),
  );

program
  .command('quarantine')
  .description('write every quarantined row (file, line, reason, raw) to a CSV file')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--out <file>', 'the CSV file to write')
  .option('--json', 'print the counts as JSON')
  .action(async (opts) =>
    (await import('../readout/quarantine-command.ts')).quarantineCommand(opts, defaultEffects()),
  );

const caseCmd = program.command('case').description('inspect a case');
caseCmd
  .command('info')
  .description('show what the case holds')
  .requiredOption('--case <dir>', 'the case folder')
  .option('--json', 'print as JSON')
  .action(async (opts) =>
    (await import('../case/info-command.ts')).infoCommand(opts, defaultEffects()),
  );

program
  .command('analyze')
  .description(
    'find victims, score suspects, map crews and compute statistics (case.json settings)',
  )
  .requiredOption('--case <dir>', 'the case folder')
  .option('--rates <file>', 'dated rates (date,currency,gbp) to value payments with', collect)
  .option('--transactions <file>', "a block-explorer export of the payments' transactions", collect)
  .option(
    '--ip-list <kind=file>',
    'addresses that locate no one: hosting=, vpn= or tor=FILE',
    collect,
  )
  .option('--json', 'print the summary as JSON')
  .action(async (opts) =>
    (await import('../analyze/command.ts')).analyzeCommand(opts, defaultEffects()),
  );

program
  .command('victims')
  .description('write the victims (number, country, tier, calls, brands, …) to a file')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--out <file>', 'the file to write')
  .option('--country <cc,…>', 'only victims in these countries (e.g. GB)')
  .option('--tier <tier,…>', 'only these tiers: harmed, likely, contacted, attempted')
  .option('--needs-review', 'only victims whose number needs review (docs/numbers.md)')
  .addOption(exportFormat('file format (default: from --out, else csv)'))
  .option('--json', 'print the result as JSON')
  .action(async (opts) =>
    (await import('../readout/victims.ts')).victimsCommand(opts, defaultEffects()),
  );

program
  .command('unresolved')
  .description('write the dialled numbers no reading resolves, with their raw values and calls')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--out <file>', 'the file to write')
  .addOption(exportFormat('file format (default: from --out, else csv)'))
  .option('--json', 'print the result as JSON')
  .action(async (opts) =>
    (await import('../readout/unresolved.ts')).unresolvedCommand(opts, defaultEffects()),
  );

program
  .command('suspects')
  .description('write every account with its score, priority and score components to a file')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--out <file>', 'the file to write')
  .option('--priority', 'only accounts that a jurisdiction rule flags')
  .option('--country <cc,…>', 'only accounts registered in these countries')
  .addOption(exportFormat('file format (default: from --out, else csv)'))
  .option('--json', 'print the result as JSON')
  .action(async (opts) =>
    (await import('../readout/suspects.ts')).suspectsCommand(opts, defaultEffects()),
  );

program
  .command('payments')
  .description('write every payment with its GBP value, rate and day, or those not valued')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--out <file>', 'the file to write')
  .option('--unvalued', 'only the payments that could not be valued, with why')
  .addOption(exportFormat('file format (default: from --out, else csv)'))
  .option('--json', 'print the result as JSON')
  .action(async (opts) =>
    (await import('../readout/payments.ts')).paymentsCommand(opts, defaultEffects()),
  );

program
  .command('requests')
  .description('write what to ask each provider (e-mail, phone, ISP, VPN, processor, exchange)')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--out <file>', 'the file to write')
  .option('--country <cc,…>', 'only accounts whose users the evidence places in these countries')
  .addOption(exportFormat('file format (default: from --out, else csv)'))
  .option('--json', 'print the result as JSON')
  .action(async (opts) =>
    (await import('../requests/command.ts')).requestsCommand(opts, defaultEffects()),
  );

program
  .command('crews')
  .description('write crew membership (crew_id, account_id) and optionally the links with evidence')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--out <file>', 'the file for crew membership')
  .option('--links <file>', 'also write every link: accounts, identifier, first and last seen')
  .addOption(exportFormat('file format (default: from the file name, else csv)'))
  .option('--json', 'print the result as JSON')
  .action(async (opts) =>
    (await import('../readout/crews.ts')).crewsCommand(opts, defaultEffects()),
  );

program
  .command('stats')
  .description('victims by country and tier, brands, months (calls, victims, revenue, accounts)')
  .requiredOption('--case <dir>', 'the case folder')
  .option('--json', 'print every statistic (per day too) as JSON')
  .action(async (opts) =>
    (await import('../readout/stats.ts')).statsCommand(opts, defaultEffects()),
  );

program
  .command('graph')
  .description('write the account network (accounts, links with evidence) for Gephi')
  .requiredOption('--case <dir>', 'the case folder')
  .addOption(
    new Option('--format <f>', 'file format (default: from the --out file name)').choices([
      'gexf',
      'graphml',
    ]),
  )
  .requiredOption('--out <file>', 'the file to write')
  .option('--json', 'print the result as JSON')
  .action(async (opts) =>
    (await import('../readout/graph.ts')).graphCommand(opts, defaultEffects()),
  );

program
  .command('xref')
  .description(
    'match identifiers from other investigations (CSV type,value,source) against the case',
  )
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--watchlist <file>', 'CSV with columns type,value,source')
  .option('--out <file>', 'write every hit to this CSV file')
  .option('--json', 'print the hits as JSON')
  .action(async (opts) => (await import('../xref/command.ts')).xrefCommand(opts, defaultEffects()));

program
  .command('report')
  .description('write one self-contained HTML report: figures, charts, top suspects, largest crews')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--out <file>', 'the HTML file to write')
  .option('--json', 'print the result as JSON')
  .action(async (opts) =>
    (await import('../report/command.ts')).reportCommand(opts, defaultEffects()),
  );

const userCmd = program.command('user').description('users of the case’s console');
userCmd
  .command('add')
  .description(
    'add a user; prints a one-time enrolment secret (password and TOTP are set at enrolment)',
  )
  .argument('<name>', 'user name (lower case letters, digits, . _ -)')
  .requiredOption('--case <dir>', 'the case folder')
  .addOption(
    new Option('--role <role>', 'what the user may do')
      .choices(['analyst', 'outreach', 'supervisor', 'partner', 'admin'])
      .makeOptionMandatory(),
  )
  .option('--country <cc>', 'the one country a partner sees (ISO 3166 alpha-2)')
  .option('--json', 'print as JSON')
  .action(async (name, opts) =>
    (await import('../users/command.ts')).userAddCommand(name, opts, defaultEffects()),
  );
userCmd
  .command('list')
  .description('list the users, their roles and whether they have enrolled')
  .requiredOption('--case <dir>', 'the case folder')
  .option('--json', 'print as JSON')
  .action(async (opts) =>
    (await import('../users/command.ts')).userListCommand(opts, defaultEffects()),
  );

userCmd
  .command('disable')
  .description('take a user’s access away at once (sessions ended); audited with the reason')
  .argument('<name>', 'the user')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--reason <text>', 'why, for the audit log')
  .action(async (name, opts) =>
    (await import('../users/command.ts')).userDisableCommand(name, opts, defaultEffects()),
  );

const audit = program
  .command('audit')
  .description(
    'read the audit log (logins, views of victims, exports, decisions); checkpoints and proofs below',
  )
  .option('--case <dir>', 'the case folder')
  .option('--since <time>', 'only rows at or after this date or time')
  .option('--verify', 'check the whole hash chain instead of listing')
  .option('--json', 'print as JSON')
  .action(async (opts) =>
    (await import('../audit/command.ts')).auditCommand(opts, defaultEffects()),
  );
const tlog = () => import('../audit/tlog-command.ts');
// `--case` is `audit`'s option, which commander gives to `audit` wherever it stands: each
// subcommand reads it with its own options (optsWithGlobals).
audit
  .command('checkpoint')
  .description('sign a checkpoint of the log as it stands, to hand to a partner or a court')
  .option('--out <file>', 'write the checkpoint (a C2SP signed note) here instead of printing it')
  .option('--reason <text>', 'why it was written (kept with it)')
  .action(async (_opts, cmd: Command) =>
    (await tlog()).checkpointCommand(cmd.optsWithGlobals(), defaultEffects()),
  );
audit
  .command('key')
  .description("print the log's verifier key (vkey): what checks its checkpoints offline")
  .option('--out <file>', 'write it here instead of printing it')
  .action(async (_opts, cmd: Command) =>
    (await tlog()).keyCommand(cmd.optsWithGlobals(), defaultEffects()),
  );
audit
  .command('prove')
  .description('prove that an entry is in the log of a checkpoint (a new one if none is given)')
  .requiredOption('--entry <n>', 'the entry (its id, from 1)')
  .option('--checkpoint <file>', 'the checkpoint to prove against')
  .option('--out <file>', 'write the proof (JSON) here instead of printing it')
  .action(async (_opts, cmd: Command) =>
    (await tlog()).proveCommand(cmd.optsWithGlobals(), defaultEffects()),
  );
audit
  .command('consistency')
  .description('prove that the log of one checkpoint extends that of an older one, unchanged')
  .requiredOption('--from <file>', 'the older checkpoint')
  .option('--to <file>', 'the newer checkpoint (a new one if not given)')
  .option('--out <file>', 'write the proof (JSON) here instead of printing it')
  .action(async (_opts, cmd: Command) =>
    (await tlog()).consistencyCommand(cmd.optsWithGlobals(), defaultEffects()),
  );
audit
  .command('export')
  .description('write the whole log, one canonical entry a line, for checking offline')
  .requiredOption('--out <file>', 'where to write it')
  .action(async (_opts, cmd: Command) =>
    (await tlog()).exportCommand(cmd.optsWithGlobals(), defaultEffects()),
  );
audit
  .command('verify')
  .description(
    'verify the live log (--case --checkpoint), or offline an exported log (--log --checkpoint --key) or a proof (--proof --key)',
  )
  .option('--checkpoint <file>', 'the checkpoint to verify against')
  .option('--log <file>', 'an exported log (unspoof audit export)')
  .option('--proof <file>', 'an inclusion or consistency proof')
  .option('--key <file>', 'the verifier key (unspoof audit key)')
  .action(async (_opts, cmd: Command) =>
    (await tlog()).verifyCommand(cmd.optsWithGlobals(), defaultEffects()),
  );

program
  .command('serve')
  .description(
    'run the analyst console of a case, with the victim portal under /report (users: unspoof user add)',
  )
  .requiredOption('--case <dir>', 'the case folder (analysed)')
  .option('--port <n>', 'port to listen on', '8080')
  .option('--host <addr>', 'address to listen on', '127.0.0.1')
  .option('--portal-only', 'serve only the victim portal (/report), not the console')
  .option(
    '--trust-proxy <addrs>',
    'reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For names the client',
  )
  .action(async (opts) =>
    (await import('../console/command.ts')).serveCommand(opts, defaultEffects()),
  );

const asUser = (c: Command) =>
  c
    .requiredOption('--case <dir>', 'the case folder')
    .option('--as <name>', 'the console user acting (password from UNSPOOF_PASSWORD or a prompt)')
    .option('--totp <code>', 'the user’s current one-time code (else a prompt)')
    .option('--json', 'print the result as JSON');

const campaign = program
  .command('campaign')
  .description(
    'victim text campaigns: drafted by outreach, approved by a supervisor, sent by dispatchers',
  );
asUser(
  campaign
    .command('create')
    .description(
      'draft a campaign for the victims a filter selects (opted-out, already-texted and needs-review left out)',
    )
    .requiredOption('--name <text>', 'what the campaign is called')
    .option('--country <cc,…>', 'victims of these countries')
    .option('--tier <t,…>', 'victim tiers (default likely,harmed)')
    .option('--brand <b,…>', 'victims of calls impersonating these brands')
    .option('--from <date>', 'first call on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'first call on or before this date (YYYY-MM-DD)')
    .option('--limit <n>', 'at most this many victims: a pilot (harmed first, then likely)')
    .option(
      '--template-file <file>',
      'the English message template (default: the built-in safe text, in every language)',
    )
    .option('--template-file-cy <file>', 'the Welsh text (needed with your own English text)')
    .option('--template-file-nl <file>', 'the Dutch text (needed with your own English text)')
    .option('--template-file-fr <file>', 'the French text (needed with your own English text)')
    .option(
      '--language <CC=lang,…>',
      'the language of a country’s victims where not its own (e.g. GB=cy, BE=fr; en, cy, nl, fr)',
    )
    .requiredOption('--force <name>', 'the force’s name, as the text says it')
    .requiredOption(
      '--site <domain>',
      'the official site, written as plain text (e.g. met.police.uk/ispoof)',
    )
    .requiredOption('--sender <id>', 'the registered sender id')
    .requiredOption('--window-start <time>', 'the announced window: first moment (ISO 8601)')
    .requiredOption('--window-end <time>', 'the announced window: last moment (ISO 8601)')
    .option('--day <HH:MM-HH:MM>', 'the victim’s local daytime (default 09:00-20:00)')
    .option('--include-texted', 'also text victims another campaign has texted')
    .option(
      '--include-review',
      'also text victims whose number needs review (left out until an analyst confirms it)',
    ),
).action(async (opts) =>
  (await import('../outreach/command.ts')).campaignCreateCommand(opts, defaultEffects()),
);
asUser(
  campaign
    .command('edit')
    .description('change a draft or approved campaign (an approval is voided)')
    .argument('<id>', 'the campaign')
    .option('--name <text>', 'what the campaign is called')
    .option('--template-file <file>', 'the English message template')
    .option('--template-file-cy <file>', 'the Welsh text')
    .option('--template-file-nl <file>', 'the Dutch text')
    .option('--template-file-fr <file>', 'the French text')
    .option('--force <name>', 'the force’s name')
    .option('--site <domain>', 'the official site')
    .option('--sender <id>', 'the registered sender id')
    .option('--window-start <time>', 'window start (ISO 8601)')
    .option('--window-end <time>', 'window end (ISO 8601)')
    .option('--day <HH:MM-HH:MM>', 'the victim’s local daytime'),
).action(async (id, opts) =>
  (await import('../outreach/command.ts')).campaignEditCommand(id, opts, defaultEffects()),
);
asUser(
  campaign
    .command('preview')
    .description('the texts as victims will get them: encoding, segments, what forces UCS-2')
    .argument('<id>', 'the campaign')
    .option('--limit <n>', 'how many victims (longest texts first)', '5'),
).action(async (id, opts) =>
  (await import('../outreach/command.ts')).campaignPreviewCommand(id, opts, defaultEffects()),
);
for (const [move, help] of [
  ['approve', 'approve a draft (a supervisor who did not draft it)'],
  ['send', 'start sending an approved campaign (--follow: send from here and show progress)'],
  ['pause', 'pause a sending campaign'],
  ['resume', 'resume a paused campaign'],
  ['cancel', 'cancel a campaign (nothing more is sent)'],
] as const) {
  const c = asUser(
    campaign.command(move).description(help).argument('<id>', 'the campaign'),
  ).option('--reason <text>', 'why (written to the audit log)');
  if (move === 'send') c.option('--follow', 'send from this process and show progress until done');
  c.action(async (id, opts) =>
    (await import('../outreach/command.ts')).campaignMoveCommand(move)(id, opts, defaultEffects()),
  );
}
campaign
  .command('status')
  .description('a campaign’s state and its messages by state')
  .argument('<id>', 'the campaign')
  .requiredOption('--case <dir>', 'the case folder')
  .option('--json', 'print as JSON')
  .option('--check', 'exit 17 (MESSAGES_UNCONFIRMED) when any message is unconfirmed')
  .action(async (id, opts) =>
    (await import('../outreach/command.ts')).campaignStatusCommand(id, opts, defaultEffects()),
  );
asUser(
  campaign
    .command('resend')
    .description(
      'ask for a campaign’s unconfirmed messages to be sent again (--approve: a second supervisor approves)',
    )
    .argument('<id>', 'the campaign'),
)
  .option('--approve', 'approve a resend another person asked for')
  .option('--reason <text>', 'why (written to the audit log)')
  .action(async (id, opts) =>
    (await import('../outreach/command.ts')).campaignResendCommand(id, opts, defaultEffects()),
  );
campaign
  .command('list')
  .description('the campaigns of a case')
  .requiredOption('--case <dir>', 'the case folder')
  .option('--json', 'print as JSON')
  .action(async (opts) =>
    (await import('../outreach/command.ts')).campaignListCommand(opts, defaultEffects()),
  );

const pkgCmd = () => import('../package/command.ts');
const partner = program
  .command('partner')
  .description('partner units: their country, age recipients and signing keys (an admin’s)');
for (const [verb, help] of [
  ['add', 'add a partner for a country, with the age recipients its packages are encrypted to'],
  ['rotate', 'give a partner new keys (the old version is kept, retired)'],
] as const)
  asUser(partner.command(verb).description(help))
    .requiredOption('--country <cc>', 'the partner’s country (ISO 3166 alpha-2)')
    .option('--name <text>', 'the partner unit’s name')
    .option('--recipient <age1…>', 'an age X25519 recipient (repeat for several)', collect)
    .option('--recipients-file <file>', 'age recipients, one a line (as age -R reads)')
    .option('--signing-key <key>', 'a key the partner signs with (repeat for several)', collect)
    .action(async (opts) =>
      (await pkgCmd()).partnerSaveCommand(verb === 'rotate')(opts, defaultEffects()),
    );
partner
  .command('list')
  .description('the partners and their current keys')
  .requiredOption('--case <dir>', 'the case folder')
  .option('--json', 'print as JSON')
  .action(async (opts) => (await pkgCmd()).partnerListCommand(opts, defaultEffects()));

const pkg = program
  .command('package')
  .description(
    'evidence packages for partner countries: requested, approved by a second person, built, verified',
  );
asUser(pkg.command('request').description('ask for a country’s evidence package'))
  .requiredOption('--country <cc>', 'the partner’s country')
  .requiredOption('--reason <text>', 'why the partner needs it (written to the audit log)')
  .action(async (opts) => (await pkgCmd()).packageRequestCommand(opts, defaultEffects()));
asUser(
  pkg
    .command('approve')
    .description('approve (or --refuse) a package another person asked for (a supervisor)')
    .argument('<id>', 'the package'),
)
  .option('--refuse', 'refuse it instead')
  .action(async (id, opts) => (await pkgCmd()).packageDecideCommand(id, opts, defaultEffects()));
asUser(pkg.command('list').description('the packages you may see')).action(async (opts) =>
  (await pkgCmd()).packageListCommand(opts, defaultEffects()),
);
pkg
  .command('build')
  .description('build an approved package: signed, encrypted to the partner (age)')
  .requiredOption('--case <dir>', 'the case folder')
  .requiredOption('--country <cc>', 'the partner’s country')
  .requiredOption('--out <file>', 'the package file to write (.age)')
  .option('--id <n>', 'the approved package (else the country’s newest approved one)')
  .option('--again', 'take over a package a build that stopped left being built')
  .option('--json', 'print the result as JSON')
  .action(async (opts) => (await pkgCmd()).packageBuildCommand(opts, defaultEffects()));
for (const [verb, help] of [
  ['verify', 'check a package (.age, its tar or an opened folder): files, signature, proofs'],
  ['open', 'decrypt and check a package into a folder'],
] as const) {
  const c = pkg
    .command(verb)
    .description(help)
    .argument('<file>', 'the package')
    .option('--identity <file>', 'the partner’s age identity (to decrypt a .age)')
    .option('--key <fingerprint>', 'the unit key’s fingerprint you were given (64 hex digits)')
    .option('--json', 'print the result as JSON');
  if (verb === 'open') c.requiredOption('--out <dir>', 'the folder to open it into (new or empty)');
  c.action(async (file, opts) =>
    (await pkgCmd()).packageVerifyCommand(file, opts, defaultEffects(), verb === 'open'),
  );
}

program
  .command('dispatch')
  .description('send the case’s sending campaigns (gateway and rate from CASE/outreach.json)')
  .requiredOption('--case <dir>', 'the case folder')
  .option('--workers <n>', 'dispatchers in this process, each with its own gateway session', '1')
  .option('--until-idle', 'stop when nothing is left to send')
  .option('--json', 'print the totals as JSON')
  .action(async (opts) =>
    (await import('../outreach/dispatch-command.ts')).dispatchCommand(opts, defaultEffects()),
  );

program
  .command('smsc')
  .description('the local SMS centre (SMPP simulator) for demos and tests; loopback only')
  .option('--port <n>', 'port to listen on', '2775')
  .option('--log <file>', 'append every accepted message to this JSONL file')
  .option('--faults <spec>', 'inject faults, e.g. throttle=50,drop=1000,temp=0.01,perm=0.001')
  .action(async (opts) => (await import('../smsc/command.ts')).smscCommand(opts, defaultEffects()));

program
  .command('demo')
  .description(
    'synthesise a small case, ingest and analyse it, write its report and run the console',
  )
  .option('--dir <dir>', 'where to put the demo export and case', 'tmp/demo')
  .option('--calls <n>', 'number of calls', '200000')
  .option('--no-serve', 'stop after the report instead of running the console')
  .option('--port <n>', 'port of the console', '8080')
  .action(async (opts) => (await import('../demo/command.ts')).demoCommand(opts, defaultEffects()));

program
  .command('demo-code')
  .description('demo only: the current one-time code of a demo user’s TOTP secret')
  .requiredOption('--name <name>', 'the demo user')
  .requiredOption('--secret <secret>', 'the TOTP secret the demo printed')
  .action(async (opts: { name: string; secret: string }) => {
    const { currentCode } = await import('../demo/users.ts');
    process.stdout.write(`${currentCode(opts.name, opts.secret)}\n`);
  });

// A reader that stops early (`unspoof stats … | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = report(e);
}

function report(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and version are exits with code 0; usage errors were already printed by commander.
    return e.exitCode === 0 ? 0 : ERRORS.USAGE.exit;
  }
  if (isUnspoofError(e)) {
    process.stderr.write(`unspoof: error ${e.code}: ${e.message}\n`);
    return e.exitCode;
  }
  process.stderr.write(
    `unspoof: error INTERNAL: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return ERRORS.INTERNAL.exit;
}
