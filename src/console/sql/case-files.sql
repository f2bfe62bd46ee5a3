-- The files of the seized export: what they are and their hashes (provenance, which a partner
-- needs to cite the evidence too); their row counts only with $counts (case-wide figures, the
-- owning unit's).
SELECT name AS file, kind, format, sha256,
       CASE WHEN $counts THEN rows END AS rows,
       CASE WHEN $counts THEN loaded END AS loaded,
       CASE WHEN $counts THEN quarantined END AS quarantined
  FROM files ORDER BY file_id
