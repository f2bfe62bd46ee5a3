/**
 * Opens the configured gateway. Whether it may carry a synthetic case's texts is the gateway's
 * own answer, bind by bind (Gateway.maySendSynthetic): a file may; an SMS centre only when its
 * settings say it is a test peer and it is reached on a loopback address.
 */
import path from 'node:path';
import { UnspoofError } from '../../shared/errors.ts';
import type { OutreachSettings } from '../settings.ts';
import { openFileGateway } from './file.ts';
import type { EventHandler, Gateway } from './gateway.ts';
import { openSmppGateway } from './smpp.ts';
import { openNotifyGateway } from './notify.ts';

export async function openGateway(
  caseDir: string,
  s: OutreachSettings,
  onEvents: EventHandler,
  env: NodeJS.ProcessEnv = process.env,
  /** Whether this one receives status callbacks (one per process: they share the port). */
  receivesCallbacks = true,
): Promise<Gateway> {
  const g = s.gateway;
  if (g.kind === 'file') return openFileGateway(path.resolve(caseDir, g.path));
  if (g.kind === 'notify') {
    const apiKey = env.UNSPOOF_NOTIFY_API_KEY;
    if (!apiKey)
      throw new UnspoofError('CONFIG_INVALID', 'the notify gateway needs UNSPOOF_NOTIFY_API_KEY');
    const token = env.UNSPOOF_NOTIFY_CALLBACK_TOKEN;
    if (g.callbackPort !== undefined && !token) {
      throw new UnspoofError(
        'CONFIG_INVALID',
        'Notify callbacks need UNSPOOF_NOTIFY_CALLBACK_TOKEN (the bearer token Notify sends)',
      );
    }
    return openNotifyGateway(
      {
        baseUrl: g.baseUrl,
        apiKey,
        templateId: g.templateId,
        smsSenderId: g.smsSenderId,
        window: g.window,
        timeoutMs: g.timeoutSeconds * 1000,
        callback:
          g.callbackPort !== undefined && receivesCallbacks
            ? { host: g.callbackHost, port: g.callbackPort, token: token as string }
            : null,
      },
      onEvents,
    );
  }
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
        longText: g.longText,
        allowSynthetic: g.allowSynthetic,
        querySm: g.querySm,
      },
      onEvents,
    );
  } catch (e) {
    throw new UnspoofError('GATEWAY_UNREACHABLE', (e as Error).message, { cause: e });
  }
  return gw;
}
