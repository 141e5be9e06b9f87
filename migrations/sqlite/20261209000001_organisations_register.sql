-- The register of NHS organisations of 2013-2015 by ODS code (reference/ods-2013-2015/):
-- regions, area teams, CCGs, trusts and GP practices, with where each sits (ccg, area team,
-- region as ODS codes; geography one of the nine regions of the map). Closed, never deleted.
CREATE TABLE ods_organisations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    official_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    trust_type TEXT,
    ons_code TEXT,
    postcode TEXT,
    parent TEXT,
    ccg TEXT,
    area_team TEXT,
    region TEXT,
    geography TEXT,
    open_date TEXT,
    close_date TEXT,
    successor TEXT,
    list_size BIGINT,
    updated_at TEXT NOT NULL
);
CREATE INDEX ods_organisations_kind ON ods_organisations (kind);
CREATE INDEX ods_organisations_area_team ON ods_organisations (area_team);
