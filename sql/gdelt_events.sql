-- GDELT events → mdime's yearly counts per benefactor × recipient × instrument, for engines that hold
-- the whole record (BigQuery's gdelt-bq.gdeltv2.events, Spark, DuckDB). Save the result as CSV and give it
-- to `mdime import events --aggregate FILE`. It is the aggregation `mdime import events` runs on GDELT
-- files (src/ingest/events/gdelt.rs and collect.rs); a test runs it in DuckDB on a fixture and checks it
-- gives mdime's own tables.
--
-- Tables it reads, by these names (create views where yours are called otherwise):
--   gdelt_events         GDELT 2.0 or 1.0 events with the codebook's column names (GLOBALEVENTID,
--                        SQLDATE, Actor1Code, Actor1Name, Actor1CountryCode, Actor1Type1Code … EventCode,
--                        DATEADDED), any types
--   countries            datasets/countries.csv
--   cameo_country_codes  datasets/cameo_country_codes.csv
--   cameo_instruments    datasets/cameo_instruments.csv (`weight` a number)
--   office_holders       datasets/office_holders.csv
--   event_benefactors    one column `iso3`: the benefactors to keep (mdime's default: CHN, RUS, USA, FRA,
--                        TUR, IND, ARE)
--
-- Written in the SQL these engines share: no engine's functions, types or quoting; CAST to STRING and
-- BIGINT, SUBSTR, REPLACE, LENGTH, COALESCE, CASE. Result: one row per
--   events:   year, benefactor_iso3, recipient_iso3, instrument, distinct events, weighted events
--   coverage: year, recipient_iso3 = a country the year's records name, events = those records
-- each with the year's days covered: a GDELT 2.0 update (DATEADDED to the second) covers a 96th of its
-- day, a 1.0 daily file (DATEADDED a day) its day.

WITH places AS (
  SELECT codes.code, codes.iso3,
         CASE WHEN b.iso3 IS NULL THEN 0 ELSE 1 END AS benefactor,
         CASE WHEN c.status = 'state' AND c.region IN ('Africa', 'Latin America', 'Middle East', 'South Asia', 'Southeast Asia')
              THEN 1 ELSE 0 END AS tracked
  FROM (
    SELECT CAST(iso3 AS STRING) AS code, CAST(iso3 AS STRING) AS iso3 FROM countries
    UNION ALL
    SELECT CAST(code AS STRING), CAST(iso3 AS STRING) FROM cameo_country_codes WHERE kind = 'country'
  ) codes
  JOIN countries c ON CAST(c.iso3 AS STRING) = codes.iso3
  LEFT JOIN event_benefactors b ON CAST(b.iso3 AS STRING) = codes.iso3
),
records AS (
  SELECT
    COALESCE(CAST(SQLDATE AS STRING), '') AS event_day,
    COALESCE(CAST(DATEADDED AS STRING), '') AS added,
    COALESCE(CAST(EventCode AS STRING), '') AS event_code,
    COALESCE(CAST(Actor1Code AS STRING), '') AS a1_code,
    COALESCE(CAST(Actor1Name AS STRING), '') AS a1_name,
    COALESCE(CAST(Actor1CountryCode AS STRING), '') AS a1_country,
    COALESCE(CAST(Actor1Type1Code AS STRING), '') AS a1_t1,
    COALESCE(CAST(Actor1Type2Code AS STRING), '') AS a1_t2,
    COALESCE(CAST(Actor1Type3Code AS STRING), '') AS a1_t3,
    COALESCE(CAST(Actor2Code AS STRING), '') AS a2_code,
    COALESCE(CAST(Actor2Name AS STRING), '') AS a2_name,
    COALESCE(CAST(Actor2CountryCode AS STRING), '') AS a2_country,
    COALESCE(CAST(Actor2Type1Code AS STRING), '') AS a2_t1,
    COALESCE(CAST(Actor2Type2Code AS STRING), '') AS a2_t2,
    COALESCE(CAST(Actor2Type3Code AS STRING), '') AS a2_t3
  FROM gdelt_events
),
placed AS (
  -- Each side's country, and whether it is a state body (every type a state type: government,
  -- military, police, intelligence, judiciary, legislature; no type is the state itself) and a defence
  -- actor (military, intelligence).
  SELECT r.*,
         p1.iso3 AS a1_iso3, COALESCE(p1.benefactor, 0) AS a1_benefactor, COALESCE(p1.tracked, 0) AS a1_tracked,
         p2.iso3 AS a2_iso3, COALESCE(p2.benefactor, 0) AS a2_benefactor, COALESCE(p2.tracked, 0) AS a2_tracked,
         CASE WHEN (r.a1_t1 = '' OR r.a1_t1 IN ('GOV', 'MIL', 'COP', 'SPY', 'JUD', 'LEG'))
               AND (r.a1_t2 = '' OR r.a1_t2 IN ('GOV', 'MIL', 'COP', 'SPY', 'JUD', 'LEG'))
               AND (r.a1_t3 = '' OR r.a1_t3 IN ('GOV', 'MIL', 'COP', 'SPY', 'JUD', 'LEG')) THEN 1 ELSE 0 END AS a1_state,
         CASE WHEN (r.a2_t1 = '' OR r.a2_t1 IN ('GOV', 'MIL', 'COP', 'SPY', 'JUD', 'LEG'))
               AND (r.a2_t2 = '' OR r.a2_t2 IN ('GOV', 'MIL', 'COP', 'SPY', 'JUD', 'LEG'))
               AND (r.a2_t3 = '' OR r.a2_t3 IN ('GOV', 'MIL', 'COP', 'SPY', 'JUD', 'LEG')) THEN 1 ELSE 0 END AS a2_state,
         CASE WHEN r.a1_t1 IN ('MIL', 'SPY') OR r.a1_t2 IN ('MIL', 'SPY') OR r.a1_t3 IN ('MIL', 'SPY') THEN 1 ELSE 0 END AS a1_defence,
         CASE WHEN r.a2_t1 IN ('MIL', 'SPY') OR r.a2_t2 IN ('MIL', 'SPY') OR r.a2_t3 IN ('MIL', 'SPY') THEN 1 ELSE 0 END AS a2_defence
  FROM records r
  LEFT JOIN places p1 ON p1.code = r.a1_country
  LEFT JOIN places p2 ON p2.code = r.a2_country
),
acts AS (
  SELECT CAST(code AS STRING) AS code, CAST(instrument AS STRING) AS instrument, weight,
         CAST(requires AS STRING) AS requires, CAST(cooperative AS STRING) AS cooperative
  FROM cameo_instruments
  WHERE scheme = 'cameo' AND instrument IS NOT NULL AND CAST(instrument AS STRING) <> ''
),
events AS (
  -- The distinct events that may count: a benefactor facing a tracked recipient, both state bodies, an act
  -- that counts. Records of the same day, act and actors are one event.
  SELECT DISTINCT event_day, event_code,
         a1_code, a1_name, a1_country, a1_t1, a1_t2, a1_t3, a1_iso3, a1_benefactor, a1_tracked, a1_state, a1_defence,
         a2_code, a2_name, a2_country, a2_t1, a2_t2, a2_t3, a2_iso3, a2_benefactor, a2_tracked, a2_state, a2_defence
  FROM placed
  WHERE ((a1_benefactor = 1 AND a2_tracked = 1) OR (a2_benefactor = 1 AND a1_tracked = 1))
    AND a1_iso3 <> a2_iso3
    AND a1_state = 1 AND a2_state = 1
    AND event_code IN (SELECT code FROM acts)
),
terms AS (
  SELECT CAST(gdelt_name AS STRING) AS name, CAST(country_iso3 AS STRING) AS iso3,
         REPLACE(CAST(term_start AS STRING), '-', '') AS first_day,
         CASE WHEN term_end IS NULL OR CAST(term_end AS STRING) = '' THEN '99999999' ELSE REPLACE(CAST(term_end AS STRING), '-', '') END AS last_day,
         CASE WHEN role IN ('head_of_state', 'head_of_government') THEN 1 ELSE 0 END AS senior,
         CASE WHEN role IN ('defence_minister', 'chief_of_staff') THEN 1 ELSE 0 END AS defence
  FROM office_holders
),
people AS (
  -- A side named after an office holder of its own country on the day: a leader, or a defence actor.
  SELECT e.event_day, e.event_code, e.a1_code, e.a1_name, e.a1_country, e.a1_t1, e.a1_t2, e.a1_t3,
         e.a2_code, e.a2_name, e.a2_country, e.a2_t1, e.a2_t2, e.a2_t3,
         MAX(COALESCE(h1.senior, 0)) AS a1_senior, MAX(COALESCE(h1.defence, 0)) AS a1_held_defence,
         MAX(COALESCE(h2.senior, 0)) AS a2_senior, MAX(COALESCE(h2.defence, 0)) AS a2_held_defence
  FROM events e
  LEFT JOIN terms h1 ON h1.name = e.a1_name AND h1.iso3 = e.a1_iso3 AND h1.first_day <= e.event_day AND h1.last_day >= e.event_day
  LEFT JOIN terms h2 ON h2.name = e.a2_name AND h2.iso3 = e.a2_iso3 AND h2.first_day <= e.event_day AND h2.last_day >= e.event_day
  GROUP BY e.event_day, e.event_code, e.a1_code, e.a1_name, e.a1_country, e.a1_t1, e.a1_t2, e.a1_t3,
           e.a2_code, e.a2_name, e.a2_country, e.a2_t1, e.a2_t2, e.a2_t3
),
counted AS (
  SELECT e.event_day, e.a1_iso3, e.a2_iso3, e.a1_benefactor, e.a2_benefactor, e.a1_tracked, e.a2_tracked,
         a.instrument, a.weight, a.cooperative
  FROM events e
  JOIN people p ON p.event_day = e.event_day AND p.event_code = e.event_code
       AND p.a1_code = e.a1_code AND p.a1_name = e.a1_name AND p.a1_country = e.a1_country
       AND p.a1_t1 = e.a1_t1 AND p.a1_t2 = e.a1_t2 AND p.a1_t3 = e.a1_t3
       AND p.a2_code = e.a2_code AND p.a2_name = e.a2_name AND p.a2_country = e.a2_country
       AND p.a2_t1 = e.a2_t1 AND p.a2_t2 = e.a2_t2 AND p.a2_t3 = e.a2_t3
  JOIN acts a ON a.code = e.event_code
  WHERE a.requires = 'none'
     OR (a.requires = 'defence' AND (e.a1_defence = 1 OR e.a2_defence = 1 OR p.a1_held_defence = 1 OR p.a2_held_defence = 1))
     OR (a.requires = 'senior_or_defence' AND (e.a1_defence = 1 OR e.a2_defence = 1 OR p.a1_held_defence = 1 OR p.a2_held_defence = 1
                                               OR p.a1_senior = 1 OR p.a2_senior = 1))
),
pairs AS (
  -- Each way the event counts: from the benefactor, and, for a cooperative act, to it.
  SELECT event_day, a1_iso3 AS benefactor_iso3, a2_iso3 AS recipient_iso3, instrument, weight
  FROM counted WHERE a1_benefactor = 1 AND a2_tracked = 1
  UNION ALL
  SELECT event_day, a2_iso3, a1_iso3, instrument, weight
  FROM counted WHERE a2_benefactor = 1 AND a1_tracked = 1 AND cooperative = 'true'
),
slots AS (
  SELECT DISTINCT added FROM records
),
covered AS (
  -- Counted in 96ths of a day, whole numbers summed exactly, then divided once: a BIGINT divided by a
  -- BIGINT is a DOUBLE in BigQuery, Spark and DuckDB alike, where a DECIMAL 1.0 / 96 is rounded to the
  -- engine's scale before it is summed (Spark's 0.010417 × 336 = 3.500112 days, DuckDB's 3.5).
  SELECT CAST(SUBSTR(added, 1, 4) AS BIGINT) AS year,
         SUM(CASE WHEN LENGTH(added) = 14 THEN 1 ELSE 96 END) / 96 AS covered_days
  FROM slots
  GROUP BY CAST(SUBSTR(added, 1, 4) AS BIGINT)
),
named AS (
  SELECT CAST(SUBSTR(event_day, 1, 4) AS BIGINT) AS year, a1_iso3 AS iso3 FROM placed WHERE a1_iso3 IS NOT NULL
  UNION ALL
  SELECT CAST(SUBSTR(event_day, 1, 4) AS BIGINT), a2_iso3 FROM placed WHERE a2_iso3 IS NOT NULL
)
SELECT 'events' AS kind, c.year, p.benefactor_iso3, p.recipient_iso3, p.instrument,
       COUNT(*) AS events, SUM(p.weight) AS weighted_events, ROUND(c.covered_days, 6) AS covered_days
FROM pairs p
JOIN covered c ON c.year = CAST(SUBSTR(p.event_day, 1, 4) AS BIGINT)
GROUP BY c.year, p.benefactor_iso3, p.recipient_iso3, p.instrument, c.covered_days
UNION ALL
SELECT 'coverage' AS kind, c.year, '' AS benefactor_iso3, n.iso3 AS recipient_iso3, '' AS instrument,
       COUNT(*) AS events, 0 AS weighted_events, ROUND(c.covered_days, 6) AS covered_days
FROM named n
JOIN covered c ON c.year = n.year
GROUP BY c.year, n.iso3, c.covered_days
ORDER BY kind, year, benefactor_iso3, recipient_iso3, instrument
