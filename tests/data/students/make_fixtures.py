"""Writes the small workbooks in the layout of stu_CTC_new.xlsx that the tests use (run with openpyxl:
python3 make_fixtures.py): an unnamed pandas index first, headers with trailing spaces, the computed
share of scholarship holders with `inf` where a country has holders but no students."""
import openpyxl

HEADER = [None, "Country Name", "region ", "year", "stu_CTC", "stu_undergra", "stu_postgra", "stu_degree",
          "stu_non_degree", "scholarship_num_CTC", "distance ", "precentage_of_scholarship"]
# country, region, year, students, undergraduates, postgraduates, degree, non-degree, scholarships
ROWS = [
    ("Pakistan", "Asia", 2017, 24879, 11120, 9774, 21164, 3715, 7034),
    ("Pakistan", "Asia", 2018, 28023, 11587, 12474, 24573, 3450, 8168),
    ("Congo Republic", "Africa", 2018, 1200, 800, 300, 1100, 100, 400),
    ("Solomon Islands", "Oceania", 2010, 0, 5, 0, 5, 0, 4),
    ("Cyprus", "Eurppe", 2010, 0, 0, 0, 0, 0, 0),
]


def share(students, scholarships):
    if students == 0:
        return "inf" if scholarships else None
    return scholarships / students


def write(name, rows, index=None, share_of=share):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(HEADER)
    for i, row in enumerate(rows):
        sheet.append([i if index is None else index[i], *row, 3882.877, share_of(row[3], row[8])])
    book.save(name)


write("students-small.xlsx", ROWS)
write("students-index-gap.xlsx", ROWS, index=[0, 1, 3, 4, 5])
write("students-bad-share.xlsx", ROWS, share_of=lambda students, scholarships: 0.5)
