/**
 * Opens the configured gateway. `mayCarrySynthetic` says whether it may carry a synthetic
 * case's texts: only the local simulator (it identifies itself when bound, on a loopback
 * address) and a file may.
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
  return gw;
}

export const mayCarrySynthetic = (gw: Gateway): boolean =>
  gw.isLocalSimulator || gw.kind === 'file';
