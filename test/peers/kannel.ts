/**
 * Kannel (Debian's `kannel`: bearerbox and smsbox, an SMS gateway written in C, neither by us nor
 * with the npm `smpp` package) as an independent ESME for interop tests of the local SMS centre.
 * This writes a kannel.conf into a temporary folder — bearerbox with one `smsc = smpp` group
 * bound as a transceiver to the SMS centre, smsbox with a sendsms user — on 127.0.0.1 and free
 * ports only, starts both, and waits until bearerbox reports the SMPP link online.
 *
 *   describe('…', { skip: kannelMissing() }, () => {
 *     const k = await startKannel({ smscPort: sim.port, smscUser: 'kannel', smscPassword: 'secret' });
 *     after(() => k.stop());
 *     await k.sendsms({ to: '447700900001', text: 'Hello', 'dlr-mask': '31', 'dlr-url': url });
 *   });
 *
 * Kannel splits a long text itself (sendsms-user `concatenation`, `max-messages`), behind an 8-bit
 * concatenation header, and asks for a receipt (registered_delivery) on the first part only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SBIN = ['/usr/sbin', '/usr/local/sbin', ...(process.env.PATH ?? '').split(':')];
const find = (name: string) =>
  SBIN.map((d) => path.join(d, name)).find((p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** The reason to give a skipped test, or false when Kannel can run. */
export const kannelMissing = (): string | false =>
  find('bearerbox') && find('smsbox')
    ? false
    : 'Kannel is not installed: no bearerbox/smsbox in /usr/sbin or PATH (apt-get install kannel)';

/** A port free on 127.0.0.1 just now. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface KannelOptions {
  smscPort: number;
  /** system_id and password Kannel binds with (at most 15 and 8 characters). */
  smscUser: string;
  smscPassword: string;
  /** How many parts a long text may take (sendsms-user max-messages). */
  maxMessages?: number;
}

export interface Kannel {
  dir: string;
  /** GET /cgi-bin/sendsms with these parameters (user and password added); its answer. */
  sendsms(params: Record<string, string>): Promise<{ status: number; body: string }>;
  /** The end of both boxes' logs, for a failing assertion's message. */
  logs(): string;
  stop(): Promise<void>;
}

const USER = 'unspoof';
const PASS = 'sendsms';

export async function startKannel(o: KannelOptions): Promise<Kannel> {
  const [bearerbox, smsbox] = [find('bearerbox'), find('smsbox')];
  if (!bearerbox || !smsbox) throw new Error('Kannel is not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-kannel-'));
  const [admin, boxes, sendsms] = [await freePort(), await freePort(), await freePort()];
  const conf = path.join(dir, 'kannel.conf');
  fs.writeFileSync(
    conf,
    `group = core
admin-port = ${admin}
admin-interface = 127.0.0.1
admin-password = admin
admin-allow-ip = 127.0.0.1
smsbox-port = ${boxes}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
dlr-storage = internal
log-file = "${path.join(dir, 'bearerbox.log')}"
log-level = 0

group = smsc
smsc = smpp
smsc-id = sim
host = 127.0.0.1
port = ${o.smscPort}
transceiver-mode = true
smsc-username = "${o.smscUser}"
smsc-password = "${o.smscPassword}"
system-type = "unspoof"
enquire-link-interval = 30
reconnect-delay = 1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${boxes}
sendsms-port = ${sendsms}
sendsms-interface = 127.0.0.1
log-file = "${path.join(dir, 'smsbox.log')}"
log-level = 0

group = sendsms-user
username = ${USER}
password = ${PASS}
concatenation = true
max-messages = ${o.maxMessages ?? 10}
user-allow-ip = 127.0.0.1

group = sms-service
keyword = default
text = "not served"
`,
  );
  const children: ChildProcess[] = [];
  const start = (bin: string) => {
    const c = spawn(bin, [conf], { cwd: dir, stdio: 'ignore' });
    children.push(c);
    return c;
  };
  const tail = (name: string) => {
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const k: Kannel = {
    dir,
    async sendsms(params) {
      const q = new URLSearchParams({ username: USER, password: PASS, ...params });
      const r = await fetch(`http://127.0.0.1:${sendsms}/cgi-bin/sendsms?${q}`);
      return { status: r.status, body: await r.text() };
    },
    logs: () => `bearerbox.log:\n${tail('bearerbox.log')}\nsmsbox.log:\n${tail('smsbox.log')}`,
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              // SIGTERM lets the boxes unbind; a box that dawdles is killed.
              const kill = setTimeout(() => c.kill('SIGKILL'), 2000);
              c.once('exit', () => (clearTimeout(kill), resolve()));
              c.kill('SIGTERM');
            }),
        ),
      );
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  // A box that exits (a configuration it refuses) fails the wait at once.
  const exited = () => children.find((c) => c.exitCode !== null || c.signalCode !== null);
  try {
    start(bearerbox);
    await until(
      async () => (await status(admin)).includes('(online'),
      'bearerbox bound',
      k,
      exited,
    );
    start(smsbox);
    await until(
      async () => (await fetch(`http://127.0.0.1:${sendsms}/`).catch(() => null)) !== null,
      'smsbox listening',
      k,
      exited,
    );
  } catch (e) {
    await k.stop();
    throw e;
  }
  return k;
}

const status = async (admin: number) =>
  (await fetch(`http://127.0.0.1:${admin}/status.txt?password=admin`)
    .then((r) => r.text())
    .catch(() => '')) as string;

async function until(
  test: () => Promise<boolean>,
  what: string,
  k: Kannel,
  exited: () => ChildProcess | undefined,
  ms = 8000,
) {
  const end = Date.now() + ms;
  while (!(await test())) {
    const gone = exited();
    if (gone) throw new Error(`Kannel: ${gone.spawnfile} exited before ${what}\n${k.logs()}`);
    if (Date.now() > end) throw new Error(`Kannel: no ${what} within ${ms} ms\n${k.logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
