-- The notes on one target that the viewer may read (authz/policy.ts, noteAudience): $3 the
-- target types its role reads notes on; $4 a partner's country, which reads only the notes
-- shared with it, and not who wrote them (a name of the owning unit's staff); NULL for the
-- owning unit, which reads every note on what it may open.
SELECT a.note, a.tags, a.created_at, a.shared_with,
       CASE WHEN $4::text IS NULL THEN u.name END AS author
  FROM annotations a JOIN users u ON u.id = a.author_id
 WHERE a.target_type = $1 AND a.target_id = $2
   AND a.target_type = ANY ($3::text[])
   AND ($4::text IS NULL OR a.shared_with = $4::text)
 ORDER BY a.created_at, a.id
