"""Writes the small GCOF-layout workbooks the tests use (run with openpyxl: python3 make_fixtures.py)."""
import openpyxl

SHEET = "ChineseOfficialFinance1.0"
HEADER = ["project_id", "recommended_for_research", "umbrella", "year", "donor", "funding_agency",
          "implementing_agency", "recipient_condensed", "title", "description", "status", "usd_defl_2014",
          "crs_sector_code", "crs_sector_name", "recipient_agencies", "recipient_iso3", "recipient_iso2"]
EXIM = "Export-Import Bank of China, Government Agency"
UNSPECIFIED = "Unspecified Chinese Government Institution, Government Agency"
PLA = "People's Liberation Army of China, Government Agency"
# project_id, recommended, umbrella, year, funder, implementer, recipient, title, status, amount, sector,
# sector name, recipient agencies, iso3, iso2
ROWS = [
    (1, True, 0, 2012, EXIM, None, "Zimbabwe", "China Exim Bank loans Zimbabwe $218m for telecom network upgrade",
     "Completion", 218000000.5, 220, "Communications", None, "ZWE", "ZW"),
    (2, True, 0, 2013, UNSPECIFIED, None, "Zimbabwe", "China donates bus and ICT equipment to National Defense of Zimbabwe",
     "Completion", " ", 110, "Education", None, "ZWE", "ZW"),
    (3, True, 0, 2013, UNSPECIFIED, None, "Namibia", "China Constructs Wanaheda Police Station",
     "Implementation", 1000000, 150, "Government and Civil Society", None, "NAM", "NA"),
    (4, False, 1, 2012, EXIM, None, "Zimbabwe", "Umbrella loan for several projects",
     "Pipeline: Commitment", 500000000, 998, "Unallocated / Unspecified", None, "ZWE", "ZW"),
    (5, False, 0, 2014, UNSPECIFIED, None, "Mali", "China pledges a stadium",
     "Pipeline: Pledge", " ", 160, "Other Social infrastructure and services", None, "MLI", "ML"),
    (6, True, 0, 2012, UNSPECIFIED, None, "Africa, regional", "Training course for African officials",
     "Completion", 20000, 150, "Government and Civil Society", None, "Africa, regional; ZWE; NAM", "XR; ZW; NA"),
    (7, True, 0, 2014, UNSPECIFIED, None, "Zambia", "China granted $10,000 USD equipment and materials to combat army worms",
     "Completion", 10000, 310, "Agriculture, Forestry and Fishing", None, "ZMB", "ZM"),
    (8, True, 0, 2014, PLA, None, "Zambia", "16th Chinese medical team",
     "Completion", " ", 120, "Health", "Maina Soko Military Hospital, Government Agency", "ZMB", "ZM"),
    (9, True, 0, 2012, UNSPECIFIED, None, "Mali", "China donates $500,000 for food security",
     "Completion", 500000, 520, "Developmental Food Aid/Food Security Assistance", None, "MLI", "ML"),
]


def workbook(name, rows, header=HEADER, edit=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(header)
    for r in rows:
        (pid, rec, umb, year, funder, impl, recipient, title, status, amount, sector, sector_name, agencies,
         iso3, iso2) = r
        values = {"project_id": pid, "recommended_for_research": rec, "umbrella": umb, "year": year, "donor": "China",
                  "funding_agency": funder, "implementing_agency": impl, "recipient_condensed": recipient,
                  "title": title, "description": title + ".", "status": status, "usd_defl_2014": amount,
                  "crs_sector_code": sector, "crs_sector_name": sector_name, "recipient_agencies": agencies,
                  "recipient_iso3": iso3, "recipient_iso2": iso2}
        ws.append([values[h] for h in header])
    if edit:
        edit(ws)
    wb.save(name)


workbook("gcof-small.xlsx", ROWS)


def bad_cells(ws):
    ws["D3"] = "20l3"          # year of project 2 (row 3)
    ws["L4"] = "lots"          # amount of project 3 (row 4)
    ws["P8"] = "ZWE"           # iso3 of project 7, a Zambian project (row 8)
    ws["B10"] = "maybe"        # recommended_for_research of project 9 (row 10)


workbook("gcof-bad-cells.xlsx", ROWS, edit=bad_cells)
workbook("gcof-missing-column.xlsx", ROWS, header=[h for h in HEADER if h != "usd_defl_2014"])
