/** Shared factories for tests: temporary folders and small seized exports written by hand. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'unspoof-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `files` (name → text or bytes) into a new export folder. */
export function writeExport(files: Record<string, string | Buffer>): string {
  const dir = tempDir('unspoof-export-');
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
  return dir;
}

export const ACCOUNTS_CSV =
  '\ufeffaccount_id,username,email,phone,telegram,country,created_at,plan\r\n' +
  'u1,"Smith, J",a@example.org,+447400123456,@a,GB,2021-01-01T00:00:00Z,pro\r\n' +
  'u2,"two\nlines",b@example.org,07400 123457,,gb,2021-01-02T00:00:00Z,basic\r\n' +
  'u3,x,c@example.org,,,,2021-01-02T00:00:00Z,basic\r\n';

/** Calls with one row of each defect, on known lines. */
export const MESSY_CALLS = Buffer.concat([
  Buffer.from(
    [
      'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition',
      'c1,u1,+443457345345,07400 200001,out-gb,2021-03-01T10:00:00Z,2021-03-01T10:00:05Z,2021-03-01T10:02:05Z,120,ANSWERED',
      'c2,u1,+443457345345,2125550100,out-us,2021-03-01T10:01:00Z,,2021-03-01T10:01:30Z,0,NO ANSWER',
      'c3,u2,anonymous,07400 2OO001,out-gb,2021-03-01T10:01:00Z,,2021-03-01T10:01:30Z,0,NO ANSWER',
      'c4,u3,anonymous,07400 200002,,2021-03-01T10:01:00Z,,2021-03-01T10:01:30Z,0,NO ANSWER',
      'c5,u1,+443457345345,0044 7400 200003,,2021-13-45 25:61:00,,2021-03-01T10:01:30Z,0,NO ANSWER',
      'c6,u1,+443457345345,+44 7400 200003,,2021-03-01T10:01:00Z,2021-03-01T10:01:05Z,2021-03-01T10:01:30Z,90,ANSWERED',
      'c1,u1,+443457345345,07400 200001,out-gb,2021-03-01T10:00:00Z,2021-03-01T10:00:05Z,2021-03-01T10:02:05Z,120,ANSWERED',
      'c7,u9,+443457345345,07400 200001,out-gb,2021-03-01T10:00:00Z,,2021-03-01T10:02:05Z,0,NO ANSWER',
      'c8,u1,+443457345345,07400 200001,out-gb',
      'c9,u1,+443457345345,1001,gb,2021-03-01T10:00:00Z,,2021-03-01T10:02:05Z,0,NO ANSWER',
      'c10,u1,+443457345345,',
    ].join('\n'),
  ),
  Buffer.from([0xff, 0xfe]),
  Buffer.from(
    [
      ',gb,2021-03-01T10:00:00Z,,2021-03-01T10:02:05Z,0,NO ANSWER',
      'c11,u1,+443457345345,447400200004,"gb,""x""",2021-03-01T10:00:00Z,,2021-03-01T10:02:05Z,0,NO ANSWER',
      'c12,u2,+31201234567,"0044 7400\n200005",,2021-03-01T10:00:00Z,2021-03-01T10:00:01Z,2021-03-01T10:05:00Z,299,ANSWERED',
      'c13,u1,+443457345345,+12125550101,out-us,2021-03-01T10:00:00Z,2021-03-01T09:00:00Z,2021-03-01T10:05:00Z,10,ANSWERED',
      'c14,u1,+443457345345,+12125550102,out-us,2021-03-01T10:00:00Z,,2021-03-01T10:05:00Z,-5,NO ANSWER',
      '',
    ].join('\n'),
  ),
]);

export const LOGINS_JSONL =
  '{"account_id":"u1","at":"2021-03-01T09:00:00Z","ip":"192.0.2.1","user_agent":"Mozilla/5.0 (X11, Linux)"}\n' +
  '{bad json\n' +
  '{"account_id":"u7","at":"2021-03-01T09:00:00Z"}\n' +
  '["an","array"]\n';

export const CAPTURES_CSV =
  'call_id,captured_at,kind,value\nc1,2021-03-01T10:01:00Z,otp,123456\nzz,2021-03-01T10:01:00Z,otp,999999\nc2,2021-03-01T10:01:00Z,code,1\n';

export const PAYMENTS_CSV =
  'payment_id,account_id,paid_at,amount_btc,value_gbp,btc_address,txid,plan\r\n' +
  'p1,u1,2021-02-01T00:00:00Z,0.01000000,150.00,bc1qexample1,tx1,basic\r\n' +
  'p2,u1,not a date,0.01000000,150.00,bc1qexample1,tx2,basic\r\n' +
  'p3,u2,2021-02-01T00:00:00Z,lots,150.00,bc1qexample2,tx3,basic\r\n' +
  'p1,u2,2021-02-01T00:00:00Z,0.01000000,150.00,bc1qexample2,tx4,basic\r\n';
