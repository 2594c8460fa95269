"""Writes the small DOTS-layout workbooks the tests use (run with openpyxl: python3 make_fixtures.py)."""
import openpyxl

YEARS = ["2017", "2018", "2019"]


def workbook(name, reporter, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        ws["B2"] = title + " to Partner Countries"
        ws["B4"] = reporter
        ws["B5"] = "US Dollars, Millions"
        for i, year in enumerate(YEARS):
            ws.cell(row=7, column=3 + i, value=year)
        for r, (partner, values) in enumerate(rows, start=8):
            ws.cell(row=r, column=2, value=partner)
            for c, v in enumerate(values, start=3):
                ws.cell(row=r, column=c, value=v)
    wb.save(name)


# China reports its exports to Mali for 2017 and 2019 only: 2018 must come from Mali's mirror report.
workbook("DOTS_1.xlsx", "China, P.R.: Mainland", {
    "Exports, FOB": [("World", [1000, 1100, 1200]), ("Mali", [10, None, 12]), ("Africa", [50, 55, 60])],
    "Imports, CIF": [("World", [900, 950, 990]), ("Mali", [2, 3, "1,004.5 e"])],
})
workbook("DOTS_2.xlsx", "Mali", {
    "Exports, FOB": [("World", [100, 110, 120]), ("China, P.R.: Mainland", [2.5, 3.5, 4.5])],
    "Imports, CIF": [("World", [200, 210, 220]), ("China, P.R.: Mainland", [11, 11.5, 13])],
})
workbook("DOTS_3.xlsx", "World", {
    "Exports, FOB": [("Mali", [1, 2, 3])],
    "Imports, CIF": [("Mali", [1, 2, 3])],
})
# Bad input, one defect each.
workbook("missing-sheet.xlsx", "Mali", {"Exports, FOB": [("World", [1, 2, 3])]})
workbook("non-numeric.xlsx", "Mali", {
    "Exports, FOB": [("World", [1, 2, 3])],
    "Imports, CIF": [("World", [1, "n/a", 3])],
})
workbook("unknown-partner.xlsx", "Mali", {
    "Exports, FOB": [("World", [1, 2, 3]), ("Atlantis", [1, 2, 3])],
    "Imports, CIF": [("World", [1, 2, 3])],
})
