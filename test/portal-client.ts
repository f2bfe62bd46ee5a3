/**
 * A victim's browser for HTTP tests of the portal (Fastify's inject): keeps cookies, reads
 * the CSRF token of the last page, posts forms and multipart uploads.
 */
import type { FastifyInstance } from 'fastify';

export interface Page {
  status: number;
  body: string;
  location: string | undefined;
  headers: Record<string, unknown>;
  raw: Buffer;
}

export class Visitor {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(
    readonly app: FastifyInstance,
    readonly address = '203.0.113.7',
  ) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Awaited<ReturnType<FastifyInstance['inject']>>): Page {
    for (const c of res.cookies as Array<{
      name: string;
      value: string;
      maxAge?: number;
      expires?: Date;
    }>) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now()))
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const body = res.body;
    const token = /name="_csrf" value="([^"]+)"/.exec(body) ?? /_csrf=([A-Za-z0-9_-]+)/.exec(body);
    if (token) this.csrf = token[1] as string;
    return {
      status: res.statusCode,
      body,
      location: res.headers.location as string | undefined,
      headers: res.headers,
      raw: res.rawPayload,
    };
  }

  async get(url: string): Promise<Page> {
    return this.keep(
      await this.app.inject({
        method: 'GET',
        url,
        remoteAddress: this.address,
        headers: { cookie: this.cookieHeader() },
      }),
    );
  }

  /** Posts a form with the current CSRF token (unless `_csrf` is given, or null to send none). */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    csrf: string | null = this.csrf,
  ): Promise<Page> {
    const params = new URLSearchParams();
    if (csrf !== null) params.append('_csrf', csrf);
    for (const [k, v] of Object.entries(form))
      for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.address,
        headers: {
          cookie: this.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: params.toString(),
      }),
    );
  }

  /** Uploads one file as the evidence form does (the CSRF token in the action's query). */
  async upload(
    name: string,
    type: string,
    bytes: Buffer,
    csrf: string | null = this.csrf,
  ): Promise<Page> {
    const boundary = '----unspoofTestBoundary7MA4YWxkTrZu0gW';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url: `/report/q/evidence${csrf === null ? '' : `?_csrf=${csrf}`}`,
        remoteAddress: this.address,
        headers: {
          cookie: this.cookieHeader(),
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload,
      }),
    );
  }
}
