-- The bundled sample source: a small, synthetic but realistic regional-statistics DuckDB file,
-- with a COMMENT on every table, view and column, as the analysts' curated file has.
-- `lakegate sample PATH` runs this script into a new DuckDB file (see src/sample.rs).
-- Values are generated deterministically from hash(), so every run builds identical tables.
-- Needs the spatial extension loaded (for the EPSG:27700 coordinate system of the boundaries), and
-- a file of storage version v1.5.0 or later: older storage versions drop the coordinate system.

CREATE SCHEMA boundaries;
CREATE SCHEMA energy;

CREATE TABLE local_authorities AS
SELECT
    printf('E%02d%06d', 6 + (i % 4), 100 + i)                          AS la_code,
    ['Northfield', 'Eastbrook', 'Southmoor', 'Westvale', 'Highcliffe', 'Lowmarsh',
     'Kingsbridge', 'Queensford', 'Ashby', 'Birchwood', 'Cedarholm', 'Dunmore',
     'Elmstead', 'Fernhill', 'Glenrock', 'Hawthorne', 'Ivybridge', 'Juniper Vale',
     'Kestrel Down', 'Larkspur', 'Millbrook', 'Newhaven St. Mary''s', 'Oakhurst', 'Pinegate'][i + 1]
                                                                        AS la_name,
    ['North East', 'North West', 'Yorkshire and The Humber', 'East Midlands',
     'West Midlands', 'East of England', 'London', 'South East', 'South West'][(i % 9) + 1]
                                                                        AS region_name,
    'England'                                                           AS country,
    (60000 + hash(i, 'pop') % 400000)::INTEGER                          AS population_2021,
    round(2000 + (hash(i, 'area') % 200000) / 10.0, 1)::DOUBLE          AS area_hectares
FROM range(24) t(i);

COMMENT ON TABLE local_authorities IS 'Local authority districts in England (2023 boundaries): codes, names, region and population. One row per local authority.';
COMMENT ON COLUMN local_authorities.la_code IS 'ONS nine-character GSS code of the local authority district, e.g. E06000001.';
COMMENT ON COLUMN local_authorities.la_name IS 'Official name of the local authority district.';
COMMENT ON COLUMN local_authorities.region_name IS 'ITL1 / former Government Office Region the authority belongs to.';
COMMENT ON COLUMN local_authorities.country IS 'Constituent country of the UK.';
COMMENT ON COLUMN local_authorities.population_2021 IS 'Usual resident population at Census 2021 (persons).';
COMMENT ON COLUMN local_authorities.area_hectares IS 'Land area in hectares, excluding inland water.';

CREATE TABLE deprivation_index AS
WITH lsoa AS (
    SELECT
        i,
        (i % 24)                                         AS la_idx,
        (hash(i, 'imd') % 800000) / 10000.0              AS raw_score
    FROM range(3000) t(i)
)
SELECT
    printf('E01%06d', 10000 + i)                                        AS lsoa_code,
    la.la_name || ' ' || printf('%03d', (i // 24) + 1) || chr((65 + (i % 5))::INTEGER) AS lsoa_name,
    la.la_code                                                          AS la_code,
    round(raw_score, 3)                                                 AS imd_score,
    (rank() OVER (ORDER BY raw_score DESC, i))::INTEGER                 AS imd_rank,
    (1 + ((rank() OVER (ORDER BY raw_score DESC, i)) - 1) * 10 // 3000)::TINYINT AS imd_decile,
    round((hash(i, 'inc') % 600) / 1000.0, 3)                           AS income_score,
    round((hash(i, 'emp') % 500) / 1000.0, 3)                           AS employment_score,
    round((hash(i, 'edu') % 9000) / 100.0, 2)                           AS education_score,
    round((hash(i, 'hea') % 600) / 100.0 - 3, 2)                        AS health_score,
    round((hash(i, 'cri') % 500) / 100.0 - 2.5, 2)                      AS crime_score,
    CASE WHEN i % 97 = 0 THEN NULL ELSE (hash(i, 'pop') % 2500 + 1000)::INTEGER END AS population_mid_2019
FROM lsoa
JOIN (SELECT row_number() OVER (ORDER BY la_code) - 1 AS idx, * FROM local_authorities) la
  ON la.idx = lsoa.la_idx
ORDER BY lsoa_code;

COMMENT ON TABLE deprivation_index IS 'English Indices of Deprivation (IMD) by Lower-layer Super Output Area (LSOA): overall deprivation score, national rank and decile, and the domain scores. Rank 1 is the most deprived area.';
COMMENT ON COLUMN deprivation_index.lsoa_code IS 'ONS code of the Lower-layer Super Output Area (2011 LSOAs), e.g. E01000001.';
COMMENT ON COLUMN deprivation_index.lsoa_name IS 'Name of the LSOA: local authority name plus a three-digit number and a letter.';
COMMENT ON COLUMN deprivation_index.la_code IS 'Code of the local authority district that contains the LSOA; joins local_authorities.la_code.';
COMMENT ON COLUMN deprivation_index.imd_score IS 'Index of Multiple Deprivation score: a weighted combination of the seven domain scores. Higher means more deprived.';
COMMENT ON COLUMN deprivation_index.imd_rank IS 'National rank of the IMD score, where 1 is the most deprived LSOA.';
COMMENT ON COLUMN deprivation_index.imd_decile IS 'National decile of the IMD rank: 1 = the 10% most deprived LSOAs, 10 = the 10% least deprived.';
COMMENT ON COLUMN deprivation_index.income_score IS 'Income domain score: proportion of the population experiencing deprivation relating to low income.';
COMMENT ON COLUMN deprivation_index.employment_score IS 'Employment domain score: proportion of the working-age population involuntarily excluded from the labour market.';
COMMENT ON COLUMN deprivation_index.education_score IS 'Education, skills and training domain score (attainment and skills of children, young people and adults).';
COMMENT ON COLUMN deprivation_index.health_score IS 'Health deprivation and disability domain score: risk of premature death and impairment of quality of life.';
COMMENT ON COLUMN deprivation_index.crime_score IS 'Crime domain score: risk of personal and material victimisation (recorded crime rates).';
COMMENT ON COLUMN deprivation_index.population_mid_2019 IS 'Mid-2019 population estimate of the LSOA (persons); NULL where the estimate was suppressed.';

CREATE TABLE boundaries.la_2023 AS
SELECT
    la.la_code,
    la.la_name,
    ST_GeomFromText(printf('POLYGON((%d %d, %d %d, %d %d, %d %d, %d %d))',
        x, y, x + 20000, y, x + 20000, y + 20000, x, y + 20000, x, y))::GEOMETRY('EPSG:27700') AS geom,
    400.0::DOUBLE                                                       AS area_km2,
    x + 10000                                                           AS centroid_easting,
    y + 10000                                                           AS centroid_northing
FROM (
    SELECT la_code, la_name,
           (300000 + ((row_number() OVER (ORDER BY la_code) - 1) % 6) * 20000)::INTEGER AS x,
           (100000 + ((row_number() OVER (ORDER BY la_code) - 1) // 6) * 20000)::INTEGER AS y
    FROM local_authorities
) la;

COMMENT ON TABLE boundaries.la_2023 IS 'Generalised boundaries of local authority districts, December 2023, in British National Grid (EPSG:27700).';
COMMENT ON COLUMN boundaries.la_2023.la_code IS 'ONS code of the local authority district.';
COMMENT ON COLUMN boundaries.la_2023.la_name IS 'Name of the local authority district.';
COMMENT ON COLUMN boundaries.la_2023.geom IS 'Boundary polygon in British National Grid coordinates (metres, EPSG:27700).';
COMMENT ON COLUMN boundaries.la_2023.area_km2 IS 'Area of the boundary polygon in square kilometres.';
COMMENT ON COLUMN boundaries.la_2023.centroid_easting IS 'Easting of the polygon centroid (metres, British National Grid).';
COMMENT ON COLUMN boundaries.la_2023.centroid_northing IS 'Northing of the polygon centroid (metres, British National Grid).';

CREATE TABLE energy.epc_certificates AS
SELECT
    md5('epc' || i)::UUID                                               AS certificate_id,
    printf('E01%06d', 10000 + (hash(i, 'lsoa') % 3000))                 AS lsoa_code,
    (DATE '2012-01-01' + (hash(i, 'day') % 4300)::INTEGER)              AS lodgement_date,
    TIMESTAMP '2012-01-01 08:00:00' + to_seconds((hash(i, 'ts') % 370000000)::BIGINT) AS inspected_at,
    ['A', 'B', 'C', 'D', 'E', 'F', 'G'][(hash(i, 'rating') % 7)::BIGINT + 1]    AS current_rating,
    (1 + hash(i, 'eff') % 100)::SMALLINT                                AS current_efficiency,
    ((hash(i, 'co2') % 1200) / 100.0)::DECIMAL(8, 2)                    AS co2_emissions_tonnes,
    round(30 + (hash(i, 'floor') % 2000) / 10.0, 1)                     AS floor_area_m2,
    ['Flat', 'House', 'Bungalow', 'Maisonette', 'Park home'][(hash(i, 'type') % 5)::BIGINT + 1] AS property_type,
    hash(i, 'new') % 10 = 0                                             AS is_new_build
FROM range(20000) t(i);

COMMENT ON TABLE energy.epc_certificates IS 'Energy Performance Certificates (EPC) lodged for domestic buildings: energy rating, efficiency and estimated CO2 emissions. One row per certificate.';
COMMENT ON COLUMN energy.epc_certificates.certificate_id IS 'Unique identifier of the certificate.';
COMMENT ON COLUMN energy.epc_certificates.lsoa_code IS 'LSOA in which the building stands; joins deprivation_index.lsoa_code.';
COMMENT ON COLUMN energy.epc_certificates.lodgement_date IS 'Date the certificate was lodged on the register.';
COMMENT ON COLUMN energy.epc_certificates.inspected_at IS 'Date and time of the assessor''s inspection (local time).';
COMMENT ON COLUMN energy.epc_certificates.current_rating IS 'Current energy rating band, A (most efficient) to G (least efficient).';
COMMENT ON COLUMN energy.epc_certificates.current_efficiency IS 'Current energy efficiency score, 1 to 100; higher is more efficient.';
COMMENT ON COLUMN energy.epc_certificates.co2_emissions_tonnes IS 'Estimated CO2 emissions of the building, tonnes per year.';
COMMENT ON COLUMN energy.epc_certificates.floor_area_m2 IS 'Total useful floor area in square metres.';
COMMENT ON COLUMN energy.epc_certificates.property_type IS 'Type of property: flat, house, bungalow, maisonette or park home.';
COMMENT ON COLUMN energy.epc_certificates.is_new_build IS 'True when the certificate was lodged for a newly built dwelling.';

CREATE TABLE energy.ghg_emissions AS
SELECT
    la.la_code,
    y::SMALLINT                                                          AS year,
    s                                                                    AS sector,
    ((hash(la.la_code, y, s) % 5000000) / 1000.0)::DECIMAL(12, 3)        AS emissions_kt_co2e
FROM local_authorities la,
     range(2005, 2023) r(y),
     unnest(['Industry', 'Commercial', 'Public sector', 'Domestic', 'Transport', 'Agriculture', 'Waste']) u(s);

COMMENT ON TABLE energy.ghg_emissions IS 'Territorial greenhouse gas emissions by local authority, year and sector, in kilotonnes of CO2 equivalent.';
COMMENT ON COLUMN energy.ghg_emissions.la_code IS 'ONS code of the local authority district.';
COMMENT ON COLUMN energy.ghg_emissions.year IS 'Calendar year of the emissions estimate.';
COMMENT ON COLUMN energy.ghg_emissions.sector IS 'Emitting sector (Industry, Commercial, Public sector, Domestic, Transport, Agriculture, Waste).';
COMMENT ON COLUMN energy.ghg_emissions.emissions_kt_co2e IS 'Greenhouse gas emissions in kilotonnes of carbon dioxide equivalent (kt CO2e).';

CREATE VIEW la_deprivation_summary AS
SELECT
    la.la_code,
    la.la_name,
    la.region_name,
    count(*)                                      AS lsoa_count,
    round(avg(d.imd_score), 3)                    AS mean_imd_score,
    count(*) FILTER (WHERE d.imd_decile = 1)      AS lsoas_in_most_deprived_decile
FROM local_authorities la
JOIN deprivation_index d USING (la_code)
GROUP BY ALL;

COMMENT ON VIEW la_deprivation_summary IS 'Deprivation summary per local authority: number of LSOAs, mean IMD score, and how many LSOAs fall in the most deprived national decile.';
COMMENT ON COLUMN la_deprivation_summary.la_code IS 'ONS code of the local authority district.';
COMMENT ON COLUMN la_deprivation_summary.la_name IS 'Name of the local authority district.';
COMMENT ON COLUMN la_deprivation_summary.region_name IS 'Region the authority belongs to.';
COMMENT ON COLUMN la_deprivation_summary.lsoa_count IS 'Number of LSOAs in the authority.';
COMMENT ON COLUMN la_deprivation_summary.mean_imd_score IS 'Unweighted mean IMD score over the authority''s LSOAs.';
COMMENT ON COLUMN la_deprivation_summary.lsoas_in_most_deprived_decile IS 'Number of the authority''s LSOAs in national IMD decile 1 (the 10% most deprived).';
