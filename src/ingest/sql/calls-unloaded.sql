-- The calls the insert left out (`_rows` narrowed to them, load.ts), each with the reason it
-- cannot load; the repeated ids among them have no other reason and are in `_bad` already.
CREATE OR REPLACE TEMP VIEW _dnv AS SELECT * FROM _dnd WHERE reason IS NOT NULL;
INSERT INTO _bad
SELECT _ord, reason, detail FROM _chk WHERE reason IS NOT NULL;
