#!/usr/bin/env python3
"""Derives a corpus of malformed and benign inputs from the real raw files in ../shared/data (and the
project's own evidence log and rubric), for tests/corpus.rs.

    python3 tests/corpus/make_corpus.py OUT_DIR

writes each input under OUT_DIR and OUT_DIR/cases.json, one object per case:

    name      the case's name (also its file's stem)
    group     the cases that share an unmodified excerpt, the group's `base`
    args      the mdime command line; `{corpus}` stands for OUT_DIR (the harness adds --datasets, and
              for runs --output)
    expect    "base" (the unmodified input, run first), "same" (a benign variant: the same table or
              outputs as the base), or "error" (refused with exit code 1, nothing changed)
    contains  for errors, the strings the message must hold: the file's name, and its line and column
              (or the option or rubric key) and what was wrong
    evidence  for run cases: the file that replaces datasets/evidence/MLI.csv
    tables    for import cases: the project's tables in datasets/ the import reads, copied in first

Only excerpts of the raw files are written (a few dozen records each), never whole files, and only into
OUT_DIR, which the test deletes afterwards.
"""

import csv
import io
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RAW = os.path.join(REPO, "..", "shared", "data")

cases = []


def write(out, name, data):
    path = os.path.join(out, name)
    with open(path, "wb") as f:
        f.write(data)
    return name


def case(name, group, args, expect, contains=(), evidence=None, tables=()):
    cases.append({"name": name, "group": group, "args": args, "expect": expect, "contains": list(contains), "evidence": evidence, "tables": list(tables)})


def lines_of(path, encoding, count=None, skip=0):
    with open(path, "rb") as f:
        text = f.read().decode(encoding)
    lines = text.replace("\r\n", "\n").split("\n")
    return lines if count is None else lines[: skip + count]


# Encodings and re-saves that change nothing: each gives the base's table.
def benign_variants(out, group, base_name, text, encoding, args_for, ext=".csv"):
    variants = {
        "crlf": text.replace("\n", "\r\n").encode(encoding),
        "bom-utf8": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf16": b"\xff\xfe" + text.encode("utf-16-le"),
        "blank-lines": text.replace("\n", "\n\n", 3).encode(encoding),
    }
    for variant, data in variants.items():
        name = write(out, f"{base_name}-{variant}{ext}", data)
        case(f"{base_name}-{variant}", group, args_for(name), "same")


def sipri(out):
    lines = lines_of(os.path.join(RAW, "sipri", "trade-register-2025-03-13.csv"), "latin-1")
    header = next(i for i, l in enumerate(lines) if l.startswith("Recipient,Supplier,"))
    # Records of 16 fields only (no record broken over two lines), from China's and Russia's deals.
    records = [l for l in lines[header + 1 :] if len(l.split(",")) == 16 and l.split(",")[1] in ("China", "Russia")][:40]
    preamble = lines[: header + 1]
    text = "\n".join(preamble + records) + "\n"
    base = write(out, "sipri.csv", text.encode("latin-1"))
    args = lambda name: ["import", "sipri", "{corpus}/" + name]
    case("sipri", "sipri", args(base), "base")
    benign_variants(out, "sipri", "sipri", text, "latin-1", args)
    padded = "\n".join(preamble + [r + ",,," for r in records]) + "\n"
    case("sipri-padded", "sipri", args(write(out, "sipri-padded.csv", padded.encode("latin-1"))), "same")
    closing = "\n".join(l + ";" for l in preamble + records) + "\n"
    case("sipri-closing-semicolons", "sipri", args(write(out, "sipri-closing-semicolons.csv", closing.encode("latin-1"))), "same")
    cols = preamble[-1].split(",")

    def corrupt(name, index, column, value, expected):
        rows = [r.split(",") for r in records]
        rows[index][cols.index(column)] = value
        body = "\n".join(preamble + [",".join(r) for r in rows]) + "\n"
        line = header + 2 + index
        case(name, "sipri", args(write(out, name + ".csv", body.encode("latin-1"))), "error", [f"{name}.csv:{line}: column `{column}`", expected])

    corrupt("sipri-tiv-text", 4, "SIPRI TIV of delivered weapons", "twelve", "`twelve`")
    corrupt("sipri-tiv-inf", 5, "SIPRI TIV of delivered weapons", "inf", "`inf`")
    corrupt("sipri-tiv-nan", 6, "SIPRI TIV per unit", "NaN", "`NaN`")
    corrupt("sipri-tiv-negative", 7, "SIPRI TIV for total order", "-5", "`-5`")
    corrupt("sipri-tiv-huge", 8, "SIPRI TIV of delivered weapons", "1e308", "`1e308`")
    corrupt("sipri-unknown-recipient", 9, "Recipient", "Atlantis", "unknown country `Atlantis`")
    corrupt("sipri-empty-supplier", 10, "Supplier", "", "empty: expected a country name")
    corrupt("sipri-delivery-year", 11, "Year(s) of delivery", "2017; 20x9", "`2017; 20x9`")
    # Truncated in the middle of a record.
    cut = text[: text.index(records[20]) + len(records[20]) // 2]
    case("sipri-truncated", "sipri", args(write(out, "sipri-truncated.csv", cut.encode("latin-1"))), "error", [f"sipri-truncated.csv:{header + 22}: column", "truncated"])
    # A comma inside an unquoted field: one field too many.
    extra = text.replace(records[3], records[3].replace(",", ", and more,", 1))
    case("sipri-extra-field", "sipri", args(write(out, "sipri-extra-field.csv", extra.encode("latin-1"))), "error", [f"sipri-extra-field.csv:{header + 5}:", "expected 16 fields, found 17"])
    missing = text.replace(",SIPRI TIV of delivered weapons", ",Delivered")
    case("sipri-missing-column", "sipri", args(write(out, "sipri-missing-column.csv", missing.encode("latin-1"))), "error", [f"sipri-missing-column.csv: line {header + 1}: the header lacks the column(s) `SIPRI TIV of delivered weapons`"])
    empty = "\n".join(preamble) + "\n"
    case("sipri-no-records", "sipri", args(write(out, "sipri-no-records.csv", empty.encode("latin-1"))), "error", ["sipri-no-records.csv has no records; nothing was written"])
    case("sipri-empty-file", "sipri", args(write(out, "sipri-empty-file.csv", b"")), "error", ["sipri-empty-file.csv: the file is empty"])
    case("sipri-binary", "sipri", args(write(out, "sipri-binary.csv", b"PK\x03\x04\x14\x00\x00\x00binary")), "error", ["sipri-binary.csv: the file is binary"])
    case("sipri-other-file", "sipri", args(write(out, "sipri-other-file.csv", b"a,b,c\n1,2,3\n")), "error", ["sipri-other-file.csv: line 1: `a,b,c` starts no layout", "SIPRI per-delivery export"])

    # SIPRI's per-delivery layout: the field case as published, and defects in it.
    delivery = lines_of(os.path.join(RAW, "field-cases", "fc04a-sipri-per-delivery-2024-04-13-excerpt.csv"), "latin-1")
    dh = next(i for i, l in enumerate(delivery) if l.startswith("SIPRI AT Database ID"))
    drecords = [l for l in delivery[dh + 1 :] if l]
    dcols = delivery[dh].split(",")
    dtext = "\n".join(delivery[: dh + 1] + drecords) + "\n"
    case("per-delivery", "per-delivery", args(write(out, "per-delivery.csv", dtext.encode("latin-1"))), "base")
    benign_variants(out, "per-delivery", "per-delivery", dtext, "latin-1", args)

    def corrupt_delivery(name, index, column, value, expected):
        rows = [r.split(",") for r in drecords]
        rows[index][dcols.index(column)] = value
        body = "\n".join(delivery[: dh + 1] + [",".join(r) for r in rows]) + "\n"
        case(name, "per-delivery", args(write(out, name + ".csv", body.encode("latin-1"))), "error", [f"{name}.csv:{dh + 2 + index}: column `{column}`", expected])

    corrupt_delivery("per-delivery-year", 3, "Delivery year", "19x0", "`19x0`")
    corrupt_delivery("per-delivery-tiv", 4, "TIV delivery values", "NaN", "`NaN`")
    corrupt_delivery("per-delivery-flag", 5, "Local production", "Maybe", "expected `Yes` or `No`, found `Maybe`")

    # SIPRI's yearly TIV tables, checked against the register excerpt.
    table = lines_of(os.path.join(RAW, "sipri", "tiv-tables-2022", "TIV-Export-CHI-1950-2021.csv"), "latin-1")
    th = next(i for i, l in enumerate(table) if l.startswith(",1950"))
    tiv_args = lambda name: ["import", "sipri", "{corpus}/" + base, "--tiv-table", "{corpus}/" + name]
    row = th + 3
    bad = list(table)
    fields = bad[row].split(",")
    fields[60] = "many"
    bad[row] = ",".join(fields)
    year = table[th].split(",")[60]
    case("tiv-table-text", "sipri", tiv_args(write(out, "tiv-table-text.csv", ("\n".join(bad) + "\n").encode("latin-1"))), "error", [f"tiv-table-text.csv:{row + 1}: column `{year}`", "`many`"])
    bad = list(table)
    bad[row] = "Atlantis" + bad[row][bad[row].index(",") :]
    case("tiv-table-country", "sipri", tiv_args(write(out, "tiv-table-country.csv", ("\n".join(bad) + "\n").encode("latin-1"))), "error", [f"tiv-table-country.csv:{row + 1}: column `recipient`", "unknown country `Atlantis`"])
    bad = list(table)
    bad[0] = "TIV tables"
    case("tiv-table-title", "sipri", tiv_args(write(out, "tiv-table-title.csv", ("\n".join(bad) + "\n").encode("latin-1"))), "error", ["tiv-table-title.csv: line 1:", "not a SIPRI TIV table"])


def quoted_source(out, group, rel, count, args_for, defects, encoding="utf-8", keep=lambda header, row: True):
    """A CSV source its publisher quotes as CSV: an excerpt of `count` records, its benign re-saves, and
    each defect (record index, column, value, expected text) written back with the csv module."""
    path = os.path.join(RAW, rel)
    with open(path, "rb") as f:
        raw = f.read().decode(encoding)
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n")
    rows = list(csv.reader(io.StringIO(raw)))
    header, records = rows[0], [r for r in rows[1:] if any(r) and keep(rows[0], r)][:count]

    def render(records_out, head=header):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(head)
        w.writerows(records_out)
        return buf.getvalue()

    text = render(records)
    base = write(out, f"{group}.csv", text.encode(encoding))
    case(group, group, args_for(base), "base")
    benign_variants(out, group, group, text, encoding, args_for)
    for name, index, column, value, expected in defects:
        changed = [list(r) for r in records]
        changed[index][header.index(column)] = value
        shown = column.strip() or column
        case(name, group, args_for(write(out, name + ".csv", render(changed).encode(encoding))), "error", [f"{name}.csv:{index + 2}: column `{shown}`", expected])
    return header, records, text


def sources(out):
    def one(command):
        return lambda name: ["import", command, "{corpus}/" + name]

    # The UN file lists every country under every mission, most with 0 personnel: keep deployments.
    deployed = lambda header, row: row[header.index("Total")] not in ("0", "")
    quoted_source(out, "un-peacekeeping", "peacekeeping/un-country-mission-year-2010-2021.csv", 60, lambda n: ["import", "peacekeeping", "{corpus}/" + n], [
        ("un-personnel-text", 5, "Total", "many", "`many`"),
        ("un-unknown-mission", 6, "Mission", "UNATLANTIS", "unknown mission `UNATLANTIS`"),
        ("un-unknown-country", 7, "Country", "Atlantis", "unknown country `Atlantis`"),
        ("un-year", 8, "Year", "20x1", "`20x1`"),
    ], keep=deployed)
    quoted_source(out, "geo-pko", "peacekeeping/geo-pko-v2.3-tcc-map.csv", 60, lambda n: ["import", "peacekeeping", "{corpus}/" + n], [
        ("geo-unit-size", 5, "year.overview", "China (lots)", "unit size or `size unknown` for China, found `lots`"),
        ("geo-entry", 6, "year.overview", "China 450", "expected `Country (size)` entries"),
        ("geo-year", 7, "year", "19y4", "`19y4`"),
    ])
    quoted_source(out, "atop", "alliances/atop-v5.1-china-russia.csv", 60, one("alliances"), [
        ("atop-ccode", 5, "ccode1", "abc", "`abc`"),
        ("atop-obligation", 6, "atop_defense", "yes", "`yes`"),
        ("atop-year", 7, "year", "1x42", "`1x42`"),
    ])
    quoted_source(out, "exercises", "exercises/russia-joint-exercises-2009-2018.csv", 20, one("exercises"), [
        ("exercises-year", 3, "yr", "20l6", "`20l6`"),
        ("exercises-partner", 4, "part1", "Atlantis", "unknown country `Atlantis`"),
    ])
    quoted_source(out, "embargoes", "sipri/arms-embargoes.csv", 79, one("embargoes"), [
        ("embargoes-date", 3, "Entry into force", "32-Dec-00", "`32-Dec-00`"),
        ("embargoes-target", 4, "Target", "Atlantis", "unknown country `Atlantis`"),
        ("embargoes-document", 5, "Establishing document", "a letter", "cannot tell who imposed the embargo"),
    ])
    quoted_source(out, "public-diplomacy", "aiddata/ChinesePublicDiplomacy.csv", 40, one("public-diplomacy"), [
        ("public-diplomacy-count", 5, "confucius_institutes", "-3", "`-3`"),
        ("public-diplomacy-country", 6, "receiving_country", "Atlantis", "unknown country `Atlantis`"),
    ])
    quoted_source(out, "unga", "un-voting/unga-ideal-points-2023-07.csv", 100, one("unga"), [
        ("unga-ideal-point", 5, "IdealPointAll", "inf", "`inf`"),
        ("unga-ccode", 6, "ccode", "9999", "`9999`"),
    ])
    # Accounts aimed at an organisation need its members from datasets/groups.csv, which an import into
    # an empty folder lacks: the excerpt keeps the others.
    organisations = ("African Union", "ASEAN", "East African Community")
    quoted_source(out, "state-media", "media/CANIS_PRC_state_media_on_social_media_platforms-2023-11-03.csv", 60, one("state-media"), [
        ("state-media-focus", 5, "Region of Focus", "Atlantis", "unknown country `Atlantis`"),
        ("state-media-count", 6, "X (Twitter) Follower #", "1.6k", "`1.6k`"),
    ], keep=lambda header, row: row[header.index("Region of Focus")] not in organisations)
    quoted_source(out, "confucius-institutes", "media/confucius_institutes.csv", 60, one("confucius-institutes"), [
        ("confucius-date", 5, "date_est", "13/45/05", "`13/45/05`"),
        ("confucius-country", 6, "country", "Atlantis", "unknown country `Atlantis`"),
    ])
    quoted_source(out, "development-finance", "aiddata/cow_gcdf.csv", 60, one("development-finance"), [
        ("development-finance-ccode", 5, "ccode", "9999", "`9999`"),
        ("development-finance-amount", 6, "oda_adj", "-5", "`-5`"),
    ])

    # Russia's exercises need UTF-8 for their Russian names: a Windows-1251 copy is refused where its
    # first non-UTF-8 byte is.
    with open(os.path.join(out, "exercises.csv"), "rb") as f:
        text = f.read().decode("utf-8")
    cp1251 = text.encode("cp1251", errors="replace")
    line = text[: next(i for i, c in enumerate(text) if ord(c) > 127)].count("\n") + 1
    case("exercises-cp1251", "exercises", ["import", "exercises", "{corpus}/" + write(out, "exercises-cp1251.csv", cp1251)], "error", [f"exercises-cp1251.csv: line {line}: not valid UTF-8"])


def field_case(name):
    with open(os.path.join(RAW, "field-cases", name), "rb") as f:
        return f.read()


# The tables an event import reads from the datasets folder.
EVENT_TABLES = ["benefactors.csv", "countries.csv", "cameo_country_codes.csv", "cameo_instruments.csv", "cameo_name_variants.csv", "office_holders.csv", "icews_sectors.csv"]


def field_cases(out):
    """The files of ../shared/data/field-cases that analysts met (round three of real inputs), as they are."""
    # ICEWS's Dataverse files per day of ingestion: two consecutive days in one folder, under the names
    # ICEWS gives them. Given twice, or with a day's file again under the next day's name, nothing changes.
    os.makedirs(os.path.join(out, "icews-daily"), exist_ok=True)
    os.makedirs(os.path.join(out, "icews-renamed"), exist_ok=True)
    day1, day2 = field_case("fc15a-icews-dataverse-20181004-icews-events-excerpt.tab"), field_case("fc15b-icews-dataverse-20181005-icews-events-excerpt.tab")
    write(out, "icews-daily/20181004-icews-events.tab", day1)
    write(out, "icews-daily/20181005-icews-events.tab", day2)
    write(out, "icews-renamed/20181006-icews-events.tab", day2)
    events = lambda *paths: ["import", "events"] + ["{corpus}/" + p for p in paths]
    case("icews-daily", "events", events("icews-daily"), "base", tables=EVENT_TABLES)
    case("icews-daily-twice", "events", events("icews-daily", "icews-daily"), "same", tables=EVENT_TABLES)
    case("icews-day-renamed", "events", events("icews-daily", "icews-renamed"), "same", tables=EVENT_TABLES)
    # GDELT as people save it: an empty last line, and a 1.0 daily file none of whose records falls in
    # the year it covers; an empty zip; a benchmark set without its entity map.
    blank = write(out, "fc13c-blank-last-line.CSV", field_case("fc13c-gdelt2-three-records-blank-last-line.CSV"))
    case("gdelt-blank-last-line", "events", events(blank), "error", ["fc13c-blank-last-line.CSV", "none of the 3 records read counts", "3 because neither side is a benefactor"], tables=EVENT_TABLES)
    daily = write(out, "fc14-20141124.export.CSV.zip", field_case("fc14-gdelt1-daily-20141124.export.CSV.zip"))
    case("gdelt1-daily-other-year", "events", events(daily), "error", ["fc14-20141124.export.CSV.zip", "none of the 100 records read counts"], tables=EVENT_TABLES)
    empty = write(out, "empty.zip", b"PK\x05\x06" + bytes(18))
    case("events-empty-zip", "events", events(empty), "error", ["empty.zip: an empty zip archive"], tables=EVENT_TABLES)
    os.makedirs(os.path.join(out, "set-without-entities"), exist_ok=True)
    write(out, "set-without-entities/relation2id.txt", b"Make a visit\t0\n")
    write(out, "set-without-entities/train.txt", b"0\t0\t1\t5\n")
    case("events-set-without-entity-map", "events", events("set-without-entities"), "error", ["set-without-entities: an ICEWS benchmark set", "without its id map `entity2id.txt`"], tables=EVENT_TABLES)

    # SIPRI's register of 14 July 2026 names `Number delivered` `Deliveries in the Year Range` (in its
    # header, the last time the words appear): it reads as the same register with the old name.
    renamed = field_case("fc18-sipri-register-china-2026-07-14-excerpt.csv")
    register = write(out, "fc18-register-2026.csv", renamed)
    case("sipri-2026", "sipri-2026", ["import", "sipri", "{corpus}/" + register], "base")
    old_name = write(out, "fc18-register-2026-old-name.csv", b"Number delivered".join(renamed.rsplit(b"Deliveries in the Year Range", 1)))
    case("sipri-2026-old-name", "sipri-2026", ["import", "sipri", "{corpus}/" + old_name], "same")


def evidence(out):
    path = os.path.join(REPO, "datasets", "evidence", "MLI.csv")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    rows = list(csv.reader(io.StringIO(text)))
    header, records = rows[0], rows[1:]
    args = ["run", "--format", "csv", "--recipient", "Mali"]
    case("evidence", "evidence", args, "base", evidence=write(out, "evidence.csv", text.encode("utf-8")))
    for variant, data in {"crlf": text.replace("\n", "\r\n").encode("utf-8"), "bom-utf8": b"\xef\xbb\xbf" + text.encode("utf-8")}.items():
        case(f"evidence-{variant}", "evidence", args, "same", evidence=write(out, f"evidence-{variant}.csv", data))

    # The log is read where the project keeps it, datasets/evidence/MLI.csv, so messages name that file.
    def corrupt(name, index, column, value, expected, also=()):
        changed = [list(r) for r in records]
        changed[index][header.index(column)] = value
        for other, other_value in also:
            changed[index][header.index(other)] = other_value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([header] + changed)
        case(name, "evidence", args, "error", [f"evidence/MLI.csv:{index + 2}: column `{column}`", expected], evidence=write(out, name + ".csv", buf.getvalue().encode("utf-8")))

    corrupt("evidence-date", 2, "date", "2019-13-01", "`2019-13-01`")
    corrupt("evidence-instrument", 3, "instrument", "X9", "`X9`")
    corrupt("evidence-event-type", 4, "event_type", "picnic", "`picnic`")
    corrupt("evidence-magnitude-huge", 5, "magnitude", "1e308", "from 0 to 1000000000000 usd", [("unit", "usd")])
    corrupt("evidence-magnitude-nan", 6, "magnitude", "NaN", "`NaN`", [("unit", "personnel")])
    corrupt("evidence-url", 7, "source_url", "ftp:/nowhere", "ftp:/nowhere")
    corrupt("evidence-benefactor", 8, "benefactor", "Atlantis", "Atlantis")
    corrupt("evidence-confidence", 9, "confidence", "certain", "`certain`")
    duplicated = [list(r) for r in records]
    duplicated[10][0] = duplicated[9][0]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header] + duplicated)
    case("evidence-duplicate-id", "evidence", args, "error", ["evidence/MLI.csv:12: column `id`", duplicated[9][0]], evidence=write(out, "evidence-duplicate-id.csv", buf.getvalue().encode("utf-8")))


def rubric(out):
    with open(os.path.join(REPO, "datasets", "rubric.toml"), encoding="utf-8") as f:
        text = f.read()
    args = lambda name: ["run", "--format", "csv", "--recipient", "Mali", "--rubric", "{corpus}/" + name]
    variants = [
        ("rubric-decreasing", text.replace("thresholds = [0.05, 0.15, 0.35, 0.60]", "thresholds = [0.60, 0.35, 0.15, 0.05]", 1), ["E1.thresholds", "strictly increasing"]),
        ("rubric-nan-cap", text.replace("below = 20.0", "below = nan", 1), ["E1.cap.below", "expected a positive number"]),
        ("rubric-empty", "# no instrument\n", ["rates no instrument"]),
        ("rubric-unknown-indicator", text.replace('score = "share_of_arms_imports"', 'score = "share_of_everything"', 1), ["E1.score", "unknown indicator `share_of_everything`"]),
        ("rubric-unknown-key", text.replace("[E1]\n", "[E1]\nweight = 2\n", 1), ["unknown field `weight`"]),
        ("rubric-syntax", text.replace("[E2]", "[E2", 1), ["(line"]),
        ("rubric-three-thresholds", text.replace("thresholds = [0.05, 0.15, 0.35, 0.60]", "thresholds = [0.05, 0.15, 0.35]", 1), ["E1.thresholds", "expected 4 values"]),
        ("rubric-unknown-instrument", text + "\n[Z9]\nevidence = [1.0, 2.0, 3.0, 4.0]\n", ["Z9"]),
    ]
    for name, body, expected in variants:
        case(name, "evidence", args(write(out, name + ".toml", body.encode("utf-8"))), "error", [name + ".toml"] + expected)


def options(out):
    base = ["run", "--format", "csv", "--recipient", "Mali"]
    for name, extra, expected in [
        ("option-since", ["--since=-100000"], ["--since: -100000 cannot start a window"]),
        ("option-as-of-future", ["--as-of", "3000"], ["--as-of: 3000 is outside the years of data"]),
        ("option-as-of-past", ["--as-of", "1900", "--since", "1900"], ["--as-of: 1900 is outside the years of data"]),
        ("option-format", ["--format", "csv,pdf"], ["--format: unknown format `pdf`"]),
        ("option-region", ["--region", "Atlantis"], ["--region: unknown region `Atlantis`"]),
        ("option-benefactor", ["--benefactor", "Chnia"], ["--benefactor: unknown country `Chnia`", "China"]),
        ("option-recipient-benefactor", ["--recipient", "China"], ["--recipient: China is also a benefactor"]),
    ]:
        case(name, "evidence", base + extra, "error", expected)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    sipri(out)
    sources(out)
    field_cases(out)
    evidence(out)
    rubric(out)
    options(out)
    with open(os.path.join(out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
