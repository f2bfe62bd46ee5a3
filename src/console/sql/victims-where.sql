-- The victims filter shared by the list and its count. Parameters may be NULL (no filter).
-- The dates here only narrow the victims to those whose first and last calls allow a call
-- between them; victims-list.sql (`called`) keeps those actually called within the dates.
WHERE ($scope IS NULL OR country = $scope)
  AND ($country IS NULL OR country = $country)
  AND ($tier IS NULL OR tier = $tier)
  AND ($brand IS NULL OR list_contains(string_split(brands, ';'), $brand))
  AND ($from IS NULL OR last_call_at >= CAST($from AS TIMESTAMPTZ))
  AND ($to IS NULL OR first_call_at < CAST($to AS TIMESTAMPTZ) + INTERVAL 1 DAY)
  AND (NOT $review OR needs_review)
