-- The suspects filter shared by the list and its count. Parameters may be NULL (no filter);
-- $scope is a partner's country; without $crews (a role that may not see crews) the crew filter
-- finds nothing, so that a search cannot tell which suspects share a crew.
WHERE ($scope IS NULL OR country = $scope)
  AND ($country IS NULL OR country = $country)
  AND (NOT $priority OR priority <> '')
  AND ($crew IS NULL OR ($crews AND crew_id = $crew))
