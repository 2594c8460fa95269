"""Runs sql/gdelt_events.sql in DuckDB on GDELT 2.0 export files, with the project's mapping tables, and
writes the result as CSV: the reference the tests hold `mdime import events` to, and the DuckDB side of
benches/events.sh.

usage: gdelt_sql.py SQL DATASETS OUT.csv BENEFACTOR[,BENEFACTOR…] GDELT_FILE…
       gdelt_sql.py --spark SQL DATASETS OUT.csv BENEFACTOR[,BENEFACTOR…] GDELT_FILE…   (the same in Spark SQL,
                    through PySpark: the SQL is the one file every engine runs unchanged)
       gdelt_sql.py --to-parquet OUT.parquet GDELT_FILE   (the file as BigQuery exports it: named, typed columns)
"""
import sys
import time

import duckdb

# GDELT 2.0 event export columns, in the codebook's order.
COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code "
    "Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code "
    "Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources "
    "NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
assert len(COLUMNS) == 61


def gdelt_view(con, files):
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS) + "}"
    file_list = "[" + ", ".join(f"'{f}'" for f in files) + "]"
    con.execute(
        f"CREATE VIEW gdelt_events AS SELECT * FROM read_csv({file_list}, delim='\t', header=false, "
        f"quote='', escape='', columns={columns}, auto_detect=false)"
    )


def spark(sql_path, datasets, out, benefactors, files):
    import csv

    from pyspark.sql import SparkSession
    from pyspark.sql.types import StringType, StructField, StructType

    session = SparkSession.builder.master("local[2]").appName("gdelt_events.sql").getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    schema = StructType([StructField(c, StringType()) for c in COLUMNS])
    session.read.csv(files, sep="\t", header=False, schema=schema, quote="", escape="").createOrReplaceTempView("gdelt_events")
    for table in ["countries", "cameo_country_codes", "cameo_instruments", "office_holders"]:
        session.read.csv(f"{datasets}/{table}.csv", header=True, inferSchema=True).createOrReplaceTempView(table)
    session.createDataFrame([(b,) for b in benefactors.split(",")], "iso3 STRING").createOrReplaceTempView("event_benefactors")
    query = open(sql_path).read().strip().rstrip(";")
    started = time.time()
    rows = session.sql(query).collect()
    with open(out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["kind", "year", "benefactor_iso3", "recipient_iso3", "instrument", "events", "weighted_events", "covered_days"])
        writer.writerows([list(r) for r in rows])
    print(f"spark {session.version}: {time.time() - started:.2f} s", file=sys.stderr)
    session.stop()


def main():
    if sys.argv[1] == "--spark":
        sql_path, datasets, out, benefactors, *files = sys.argv[2:]
        spark(sql_path, datasets, out, benefactors, files)
        return
    if sys.argv[1] == "--to-parquet":
        out, *files = sys.argv[2:]
        con = duckdb.connect()
        gdelt_view(con, files)
        typed = ", ".join(
            f"CAST({c} AS BIGINT) AS {c}" if c in ("GLOBALEVENTID", "SQLDATE", "DATEADDED") else c for c in COLUMNS
        )
        con.execute(f"COPY (SELECT {typed} FROM gdelt_events) TO '{out}' (FORMAT PARQUET)")
        return
    sql_path, datasets, out, benefactors, *files = sys.argv[1:]
    con = duckdb.connect()
    gdelt_view(con, files)
    for table in ["countries", "cameo_country_codes", "cameo_instruments", "office_holders"]:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto('{datasets}/{table}.csv', header=true)")
    con.execute("CREATE TABLE event_benefactors (iso3 VARCHAR)")
    con.executemany("INSERT INTO event_benefactors VALUES (?)", [[b] for b in benefactors.split(",")])
    query = open(sql_path).read().strip().rstrip(";")
    started = time.time()
    con.execute(f"COPY ({query}) TO '{out}' (HEADER, DELIMITER ',')")
    print(f"duckdb {duckdb.__version__}: {time.time() - started:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
