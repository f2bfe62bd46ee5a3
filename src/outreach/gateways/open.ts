/**
 * Opens the configured gateway, and refuses one that may not carry the case: a synthetic case
 * goes only to the local simulator (it identifies itself when bound, on a loopback address) or
 * to a file.
 */
import path from 'node:path';
import { UnspoofError } from '../../shared/errors.ts';
import type { OutreachSettings } from '../settings.ts';
import { openFileGateway } from './file.ts';
import type { EventHandler, Gateway } from './gateway.ts';
import { openSmppGateway } from './smpp.ts';

export async function openGateway(
  caseDir: string,
  s: OutreachSettings,
  synthetic: boolean,
  onEvents: EventHandler,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Gateway> {
  const g = s.gateway;
  if (g.kind === 'file') return openFileGateway(path.resolve(caseDir, g.path));
  let gw: Gateway;
  try {
    gw = await openSmppGateway(
      {
        host: g.host,
        port: g.port,
        systemId: g.systemId,
        password: env.UNSPOOF_SMPP_PASSWORD ?? '',
        window: g.window,
        enquireLinkMs: g.enquireLinkSeconds * 1000,
        responseTimeoutMs: g.responseTimeoutSeconds * 1000,
      },
      onEvents,
    );
  } catch (e) {
    throw new UnspoofError('GATEWAY_UNREACHABLE', (e as Error).message, { cause: e });
  }
  if (synthetic && !gw.isLocalSimulator) {
    await gw.close();
    throw new UnspoofError(
      'GATEWAY_REFUSED',
      `this case holds synthetic data: it may only be sent to the local simulator (unspoof smsc) or a file, and ${g.host}:${g.port} is not the simulator`,
    );
  }
  return gw;
}
