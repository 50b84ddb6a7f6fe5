"""How the content leaves the building: the versioned REST API and what all versions share."""
