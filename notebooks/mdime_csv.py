"""Reading mdime's CSV outputs with the checks the notebooks rely on.

Every loader fails with a message naming the file and what is wrong, so that a changed schema or an
empty run stops a notebook at its first cell instead of drawing an empty figure.
"""

from pathlib import Path

import pandas as pd


def load(reports, name, columns):
    """Read `name` from the output folder `reports`, requiring `columns` and at least one row.

    Only empty fields are missing values: a code such as "NA" must stay a string.
    """
    path = Path(reports) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: produce it with `mdime run --output {reports}` "
            f"(backtest files with `mdime backtest --output {reports}`)"
        )
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{path} lacks the column(s) {missing}; it has {list(frame.columns)}")
    return require(frame, str(path))


def require(frame, what):
    """`frame`, or a clear error if it has no rows."""
    if frame.empty:
        raise ValueError(f"no rows: {what}")
    return frame


def require_values(frame, column, allowed, what):
    """Fail if `column` holds a value outside `allowed` (a label the notebook would not understand)."""
    unknown = sorted(set(frame[column].dropna().astype(str)) - set(allowed))
    if unknown:
        raise ValueError(f"{what}: unexpected {column} value(s) {unknown}; expected one of {list(allowed)}")


def instrument_order(codes):
    """Instrument codes in the order the CSV first lists them (D1 … E3, then `overall`).

    Taking the order from the data, not from a fixed list, keeps the notebooks working when a run
    assesses more or fewer instruments.
    """
    return list(dict.fromkeys(codes))
