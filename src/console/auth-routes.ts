/** Login with password and TOTP, enrolment (password, then a TOTP authenticator), logout. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { isUnspoofError, UnspoofError } from '../shared/errors.ts';
import { html, raw, type Html } from '../shared/html.ts';
import { createSession, endSession } from '../users/sessions.ts';
import { checkLogin, confirmTotp, startEnrolment } from '../users/users.ts';
import { csrfField, layout } from './layout.ts';
import { csrfToken, type Ctx } from './http.ts';

export const SESSION_COOKIE = 'unspoof_session';

/** The six-digit TOTP field of the sign-in and enrolment forms. */
const codeInput = html`<input
  id="code"
  name="code"
  inputmode="numeric"
  autocomplete="one-time-code"
  pattern="[0-9]{6}"
  required
/>`;

const Login = z.object({
  name: z.string().trim().toLowerCase().max(63),
  password: z.string().max(1024),
  code: z.string().trim().max(12),
  next: z.string().optional(),
});
const Enrol = z.object({
  name: z.string().trim().toLowerCase().max(63),
  secret: z.string().trim().max(64),
  password: z.string().max(1024),
});
const Confirm = z.object({
  name: z.string().trim().toLowerCase().max(63),
  secret: z.string().trim().max(64),
  code: z.string().trim().max(12),
});

/** Only a path on this site: never an absolute URL (no open redirect). */
const safeNext = (next: string | undefined) =>
  next && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';

export async function authRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const page = (reply: FastifyReply, title: string, body: Html, status = 200) =>
    reply
      .code(status)
      .type('text/html')
      .send(layout({ title, user: null, synthetic: ctx.synthetic }, body));

  const loginForm = (csrf: string, next: string, error?: string) =>
    html` ${error ? html`<div class="error-summary" role="alert"><p>${error}</p></div>` : ''}
      <form method="post" action="/login" class="stack">
        ${csrfField(csrf)}
        <input type="hidden" name="next" value="${next}" />
        <label for="name">User name</label>
        <input id="name" name="name" autocomplete="username" required />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <label for="code">One-time code from your authenticator</label>
        ${codeInput}
        <button type="submit">Sign in</button>
      </form>
      <p>New here? <a href="/enrol">Enrol with the secret an administrator gave you</a>.</p>`;

  app.get('/login', async (req, reply) => {
    const next = safeNext((req.query as Record<string, string>).next);
    if (req.session) return reply.redirect(next, 303);
    return page(reply, 'Sign in', loginForm(csrfToken(reply), next));
  });

  app.post(
    '/login',
    { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const input = Login.safeParse(req.body);
      const next = safeNext(input.success ? input.data.next : undefined);
      try {
        if (!input.success)
          throw new UnspoofError('LOGIN_FAILED', 'the name, password or one-time code is wrong');
        const user = await checkLogin(ctx.ops, input.data, ctx.fx.now(), { ip: req.ip });
        const { token } = await createSession(ctx.ops, user, ctx.fx.now());
        void reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          secure: ctx.secure,
          sameSite: 'strict',
          path: '/',
        });
        return reply.redirect(next, 303);
      } catch (e) {
        if (!isUnspoofError(e) || e.code !== 'LOGIN_FAILED') throw e;
        return page(
          reply,
          'Sign in',
          loginForm(csrfToken(reply), next, 'The name, password or one-time code is wrong.'),
          401,
        );
      }
    },
  );

  app.post('/logout', async (req, reply) => {
    if (req.sessionToken) {
      ctx.caches.session.delete(req.sessionToken);
      await endSession(ctx.ops, req.sessionToken, ctx.fx.now());
    }
    // With the flags it was set with: a browser keeps a cookie cleared with other attributes.
    void reply.clearCookie(SESSION_COOKIE, {
      httpOnly: true,
      secure: ctx.secure,
      sameSite: 'strict',
      path: '/',
    });
    return reply.redirect('/login', 303);
  });

  const enrolForm = (csrf: string, error?: string) =>
    html` ${error ? html`<div class="error-summary" role="alert"><p>${error}</p></div>` : ''}
      <form method="post" action="/enrol" class="stack">
        ${csrfField(csrf)}
        <label for="name">User name</label>
        <input id="name" name="name" autocomplete="username" required />
        <label for="secret">Enrolment secret</label>
        <input id="secret" name="secret" autocomplete="off" required />
        <label for="password">New password (at least 12 characters; a passphrase is best)</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength="12"
          required
        />
        <button type="submit">Continue</button>
      </form>`;

  app.get('/enrol', async (_req, reply) => page(reply, 'Enrol', enrolForm(csrfToken(reply))));

  app.post(
    '/enrol',
    { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const input = Enrol.safeParse(req.body);
      try {
        if (!input.success) throw new UnspoofError('ENROLMENT_INVALID', 'fill in every field');
        const { totpSecret, totpUri } = await startEnrolment(ctx.ops, input.data, ctx.fx.now());
        const qr = await QRCode.toString(totpUri, { type: 'svg', margin: 1, width: 220 });
        // The authenticator key is on this page: never kept by a browser or a proxy.
        void reply.header('cache-control', 'no-store');
        return page(
          reply,
          'Set up your authenticator',
          html`<p>
              Scan this code with an authenticator app (or type the key), then enter the six-digit
              code it shows.
            </p>
            <figure class="qr" aria-label="QR code of the authenticator key">${raw(qr)}</figure>
            <p>
              Key: <code class="totp-key">${totpSecret.match(/.{1,4}/g)?.join(' ') ?? ''}</code>
            </p>
            <form method="post" action="/enrol/confirm" class="stack">
              ${csrfField(csrfToken(reply))}
              <input type="hidden" name="name" value="${input.data.name}" />
              <input type="hidden" name="secret" value="${input.data.secret}" />
              <label for="code">Six-digit code</label>
              ${codeInput}
              <button type="submit">Finish enrolment</button>
            </form>`,
        );
      } catch (e) {
        if (!isUnspoofError(e) || !['ENROLMENT_INVALID', 'PASSWORD_WEAK'].includes(e.code)) throw e;
        return page(
          reply,
          'Enrol',
          enrolForm(csrfToken(reply), `${e.message[0]?.toUpperCase()}${e.message.slice(1)}.`),
          400,
        );
      }
    },
  );

  app.post(
    '/enrol/confirm',
    { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const input = Confirm.safeParse(req.body);
      try {
        if (!input.success) throw new UnspoofError('TOTP_INVALID', 'enter the six-digit code');
        await confirmTotp(ctx.ops, input.data, ctx.fx.now());
        return page(
          reply,
          'Enrolled',
          html`<p>
            You are enrolled. <a href="/login">Sign in</a> with your password and a new code.
          </p>`,
        );
      } catch (e) {
        if (!isUnspoofError(e) || !['ENROLMENT_INVALID', 'TOTP_INVALID'].includes(e.code)) throw e;
        return page(
          reply,
          'Enrol',
          enrolForm(
            csrfToken(reply),
            `${e.message[0]?.toUpperCase()}${e.message.slice(1)}. Start again.`,
          ),
          400,
        );
      }
    },
  );
}
