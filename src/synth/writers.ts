/**
 * Streaming line writers: lines are gathered and written in large joined chunks, waiting for
 * the stream to drain when it asks to (backpressure), so memory stays bounded at any scale.
 */
import fs from 'node:fs';
import { once } from 'node:events';

export { csvField, csvLine } from '../shared/csv.ts';

const CHUNK_CHARS = 1 << 20;

/** Every field quoted, quotes doubled, as Asterisk's cdr_csv and FreeSWITCH's cdr-csv write. */
export function quotedField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

export class LineWriter {
  private readonly stream: fs.WriteStream;
  private parts: string[] = [];
  private chars = 0;
  lines = 0;

  constructor(
    path: string,
    private readonly eol: '\n' | '\r\n' = '\n',
    bom = false,
  ) {
    this.stream = fs.createWriteStream(path);
    if (bom) this.stream.write('\uFEFF');
  }

  /** Adds one line (without its end). True when a chunk is full: then `await flush()`. */
  line(text: string): boolean {
    this.parts.push(text, this.eol);
    this.chars += text.length + 1;
    this.lines++;
    return this.chars >= CHUNK_CHARS;
  }

  /** Adds one line and flushes when a chunk is full (for the less hot files). */
  async add(text: string): Promise<void> {
    if (this.line(text)) await this.flush();
  }

  /** Adds one line given as raw bytes (for deliberately invalid UTF-8). */
  async bytes(line: Buffer): Promise<void> {
    await this.flush();
    this.lines++;
    await this.write(Buffer.concat([line, Buffer.from(this.eol)]));
  }

  private async write(chunk: string | Buffer): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    await this.write(chunk);
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
