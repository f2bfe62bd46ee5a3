-- What to ask each provider for (docs/requests.md): the production-order worklist that turns
-- accounts into people. One row per provider and identifier, with the accounts it belongs to,
-- when it was seen, and why; grouped by the country the accounts' users likely are in
-- (jurisdiction.sql). Only accounts that called or paid.
CREATE OR REPLACE TABLE provider_requests AS
WITH j AS (
  SELECT s.account_id, coalesce(s.jurisdiction, 'unknown') AS country
  FROM suspects s WHERE s.calls > 0 OR s.payments > 0
),
mail(domain, provider) AS (VALUES
  ('gmail.com', 'Google LLC'), ('googlemail.com', 'Google LLC'),
  ('outlook.com', 'Microsoft Corporation'), ('hotmail.com', 'Microsoft Corporation'),
  ('hotmail.co.uk', 'Microsoft Corporation'), ('live.com', 'Microsoft Corporation'),
  ('yahoo.com', 'Yahoo Inc.'), ('yahoo.co.uk', 'Yahoo Inc.'),
  ('protonmail.com', 'Proton AG'), ('proton.me', 'Proton AG'), ('pm.me', 'Proton AG'),
  ('tutanota.com', 'Tutao GmbH'), ('tuta.io', 'Tutao GmbH'),
  ('icloud.com', 'Apple Inc.'), ('me.com', 'Apple Inc.'),
  ('mail.ru', 'VK'), ('yandex.ru', 'Yandex'), ('gmx.com', 'GMX')
),
rows AS (
  -- E-mail: the mailbox the account was opened with.
  SELECT j.country, 'email' AS provider_type,
    coalesce(m.provider, split_part(lower(trim(a.email)), '@', 2)) AS provider,
    'email' AS identifier_type, lower(trim(a.email)) AS identifier, a.account_id,
    a.created_at AS first_seen, a.created_at AS last_seen,
    'subscriber details, sign-up and access IP addresses of the mailbox' AS reason
  FROM accounts a JOIN j USING (account_id)
  LEFT JOIN mail m ON m.domain = split_part(lower(trim(a.email)), '@', 2)
  WHERE a.email LIKE '%@%'
  UNION ALL
  -- Messaging: the Telegram handle the service knew the user by.
  SELECT j.country, 'messaging', 'Telegram', 'telegram', '@' || lower(ltrim(trim(a.telegram), '@')),
    a.account_id, a.created_at, a.created_at,
    'phone number and IP addresses behind the handle'
  FROM accounts a JOIN j USING (account_id)
  WHERE nullif(ltrim(trim(a.telegram), '@'), '') IS NOT NULL
  UNION ALL
  -- Phone: the registered number, to its operator in its country.
  SELECT j.country, 'phone', 'mobile operator in ' || CAST(a.phone_country AS VARCHAR),
    'phone', a.phone_e164, a.account_id, a.created_at, a.created_at,
    'subscriber of the registered phone number'
  FROM accounts a JOIN j USING (account_id)
  WHERE a.phone_e164 IS NOT NULL AND a.phone_country IS NOT NULL
  UNION ALL
  -- ISPs, hosting and VPN providers: each address the account logged in or paid from, by its
  -- network (a Tor exit has no one to ask).
  SELECT j.country,
    CASE WHEN i.lists LIKE '%vpn%' THEN 'vpn' WHEN i.lists LIKE '%hosting%' THEN 'hosting' ELSE 'isp' END,
    i.org || ' (AS' || i.asn || ')', 'ip', i.canonical, u.account_id, u.first_seen, u.last_seen,
    CASE WHEN i.lists LIKE '%vpn%' THEN 'customer using this VPN exit at these times (logs, payment for the service)'
      WHEN i.lists LIKE '%hosting%' THEN 'customer renting this server at these times'
      ELSE 'subscriber assigned this address at these times' END
  -- Each account's use of each address first (a tenth of the logins), then its network.
  FROM (SELECT account_id, ip, min("at") AS first_seen, max("at") AS last_seen
        FROM (SELECT account_id, ip, "at" FROM logins UNION ALL SELECT account_id, ip, paid_at FROM payments)
        WHERE ip IS NOT NULL GROUP BY ALL) u
  JOIN j USING (account_id)
  JOIN ip_intel i ON i.ip = u.ip
  WHERE i.asn IS NOT NULL AND coalesce(i.lists, '') NOT LIKE '%tor%'
  UNION ALL
  -- Payment processors: the payments they took.
  SELECT j.country, 'payment_processor', trim(p.processor), 'payment', p.payment_id, p.account_id,
    p.paid_at, p.paid_at, 'payer details of this payment (name, card or account, IP address)'
  FROM payments p JOIN j USING (account_id)
  WHERE nullif(trim(p.processor), '') IS NOT NULL
  UNION ALL
  -- Exchanges: a wallet the account paid from that the explorer attributes to one.
  SELECT j.country, 'exchange', e.entity, 'wallet', w.wallet, w.account_id, w.first_paid,
    w.last_paid, 'customer who holds this wallet (know-your-customer records), transactions ' || w.txids
  FROM account_wallets w JOIN j USING (account_id)
  JOIN (SELECT DISTINCT a.wallet, t.entity FROM transactions t
        JOIN wallet_addresses a ON a.written = t.address
        WHERE nullif(trim(t.entity), '') IS NOT NULL) e ON e.wallet = w.wallet
)
SELECT country, provider_type, provider, identifier_type, identifier,
  string_agg(DISTINCT account_id, ';' ORDER BY account_id) AS accounts,
  min(first_seen) AS first_seen, max(last_seen) AS last_seen, any_value(reason) AS reason
FROM rows
WHERE identifier IS NOT NULL AND provider IS NOT NULL
GROUP BY country, provider_type, provider, identifier_type, identifier;
