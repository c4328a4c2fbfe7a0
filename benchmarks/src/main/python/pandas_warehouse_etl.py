#!/usr/bin/python3
"""The pandas anchor of the tasks benchmark: a casino activity CSV loaded into a PostgreSQL warehouse the way an
Airflow/pandas shop would write it (read_csv, vectorized cleaning, DataFrame.to_sql through SQLAlchemy), doing the
same job as the Java warehouse-etl: clean by the same rules, reject with the same reason codes into etl_rejects,
load the rest into the month-partitioned fact_activity, all in one transaction.

Timed end to end, from before read_csv to after the commit; the tables are created (dropped first) before the clock
starts, the month partitions inside it, as the Java app creates its months during its run. Prints one JSON line:
{"rows_read", "rows_loaded", "rows_rejected", "seconds", "method"}; peak memory goes to stderr.

    /usr/bin/python3 pandas_warehouse_etl.py --csv activity.csv \
        --dsn postgresql+psycopg2://postgres@127.0.0.1:5432/db --schema warehouse --method default --chunksize 10000

--method default is to_sql(method=None): SQLAlchemy's executemany, which SQLAlchemy 1.4's psycopg2 dialect turns
into execute_values pages of 1,000 rows; multi is method='multi', one multi-row INSERT per chunk. No COPY: to_sql
does not use it, and neither would the shop this stands for.

Rules as in SourceRowCleaner/CasinoEventRules, first failing rule wins, in the Java order. Simplifications a pandas
user would make (none occur in the benchmark data): currency is any 3 letters (Java: an ISO 4217 code); amounts are
plain decimals (Java also reads "1,234.50" and "12,50"); timestamps are what pd.to_datetime reads (Java: ISO 8601,
13-digit epoch millis and configured local patterns); raw is the stripped fields joined with commas.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text

ACTIVITIES = ["bet", "win", "deposit", "withdrawal", "bonus", "login", "logout"]
GAMEPLAY = ["bet", "win", "bonus"]                   # carry game_id and game_type
NO_MONEY = ["login", "logout"]                       # every other activity needs a currency
MAX_WIN_MULTIPLIER = {"slots": 5000, "roulette": 36, "blackjack": 8, "poker": 500, "sports": 1000, "baccarat": 9,
                      "live": 500, "bingo": 10000, "lottery": 1000000}   # CasinoEventRules.defaultMaxWinMultipliers
AMOUNTS = ["bet_amount", "win_amount", "bonus_amount", "transaction_amount"]
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
NUMBER = r"-?(?:\d+\.?\d*|\.\d+)"
# numeric(18,2): at most 16 digits before the point (leading zeros aside), 2 after (trailing zeros aside); never rounded
MONEY = r"0*(?:\d{1,16}(?:\.\d{0,2}0*)?|\.\d{1,2}0*)"
FACT_COLUMNS = ["event_id", "activity_datetime", "date_key", "customer_id", "customer_key", "game_id", "game_activity",
                "game_type"] + AMOUNTS + ["currency", "run_id"]


def create_tables(engine, schema):
    """The Java ETL's fact table and a reduced etl_rejects, fresh for every run (not timed)."""
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {schema}.fact_activity CASCADE"))
        conn.execute(text(f"DROP TABLE IF EXISTS {schema}.etl_rejects"))
        conn.execute(text(
            f"CREATE TABLE {schema}.fact_activity (event_id uuid NOT NULL, activity_datetime timestamptz NOT NULL,"
            " date_key integer NOT NULL, customer_id text NOT NULL, customer_key bigint, game_id text,"
            " game_activity text NOT NULL, game_type text, bet_amount numeric(18,2), win_amount numeric(18,2),"
            " bonus_amount numeric(18,2), transaction_amount numeric(18,2), currency char(3), run_id bigint NOT NULL,"
            " PRIMARY KEY (event_id, activity_datetime)) PARTITION BY RANGE (activity_datetime)"))
        conn.execute(text(f"CREATE INDEX ON {schema}.fact_activity (customer_id, activity_datetime)"))
        conn.execute(text(f"CREATE INDEX ON {schema}.fact_activity (game_id, date_key)"))
        conn.execute(text(f"CREATE TABLE {schema}.etl_rejects (file text, line bigint, reason text, raw text)"))


def clean(df):
    """(clean rows, rejects): a reason per row from np.select over the rules in priority order, then duplicates."""
    raw_columns = list(df.columns)
    # Strip every field; a blank field is a missing one (NaN), like an empty one. (mask, not replace: replace turns
    # an all-blank column into float64, and .str then refuses it.)
    df = df.apply(lambda s: s.str.strip().mask(lambda v: v == ""))
    df["event_id"] = df["event_id"].str.lower()      # a UUID's case does not matter (duplicates compare parsed ids)
    df["game_activity"] = df["game_activity"].str.lower()
    df["game_type"] = df["game_type"].str.lower()
    df["currency"] = df["currency"].str.upper()
    at = pd.to_datetime(df["activity_datetime"], utc=True, errors="coerce",
                        **({"format": "ISO8601"} if pd.__version__ >= "2" else {}))  # pandas 1.x reads ISO by default
    act = df["game_activity"]
    missing = df.isna()

    rules = [(missing["event_id"], "missing_field"),
             (~df["event_id"].str.fullmatch(UUID, na=True), "invalid_uuid"),
             (missing["customer_id"], "missing_field"),
             (missing["activity_datetime"], "missing_field"),
             (at.isna(), "invalid_date"),
             (missing["game_activity"], "missing_field"),
             (~act.isin(ACTIVITIES), "unknown_activity")]
    value = {}
    for col in AMOUNTS:                              # exact decimals: checked as text, compared as floats
        s = df[col]
        number = s.str.fullmatch(NUMBER, na=True)
        negative = s.str.startswith("-", na=False)
        money = s.str.fullmatch(MONEY, na=True)
        rules += [(~number, "invalid_amount"), (negative, "negative_amount"), (~money, "invalid_amount")]
        value[col] = pd.to_numeric(s.where(number & money), errors="coerce")
    gameplay, win = act.isin(GAMEPLAY), act == "win"
    plain_win = win & ~(value["bonus_amount"] > 0)   # a bonus win needs no bet and has no maximum
    multiplier = df["game_type"].map(MAX_WIN_MULTIPLIER)
    rules += [(gameplay & missing["game_id"], "missing_field"),
              (gameplay & missing["game_type"], "missing_field"),
              (df["game_type"].notna() & multiplier.isna(), "unknown_game_type"),
              (~act.isin(NO_MONEY) & missing["currency"], "missing_field"),
              ((act == "bet") & value["bet_amount"].isna(), "missing_field"),
              (win & value["win_amount"].isna(), "missing_field"),
              (plain_win & value["bet_amount"].isna(), "missing_field"),
              (plain_win & (value["win_amount"] > value["bet_amount"] * multiplier), "win_exceeds_max_multiplier"),
              ((act == "bonus") & value["bonus_amount"].isna(), "missing_field"),
              (act.isin(["deposit", "withdrawal"]) & value["transaction_amount"].isna(), "missing_field"),
              (~df["currency"].str.fullmatch("[A-Z]{3}", na=True), "invalid_currency")]
    reason = pd.Series(np.select([np.asarray(c, dtype=bool) for c, _ in rules], [r for _, r in rules], default=""),
                       index=df.index)
    # A later occurrence of an event_id among the clean rows is a duplicate; the first one is kept.
    ok = reason == ""
    reason[ok & df["event_id"].where(ok).duplicated(keep="first")] = "duplicate_event"
    rejected = reason != ""

    rejects = pd.DataFrame({"line": df.index + 2, "reason": reason})[rejected]       # line 1 is the header
    fields = df.loc[rejected, raw_columns].fillna("")
    rejects["raw"] = fields[raw_columns[0]].str.cat([fields[c] for c in raw_columns[1:]], sep=",")
    facts = df.loc[~rejected].copy()
    facts["activity_datetime"] = at[~rejected]
    t = facts["activity_datetime"].dt
    facts["date_key"] = t.year * 10000 + t.month * 100 + t.day
    facts["customer_key"] = None
    facts["run_id"] = 1
    return facts[FACT_COLUMNS], rejects


def create_partitions(conn, schema, facts):
    """One partition per month present (UTC), named like the Java ETL's: fact_activity_yyyy_MM."""
    t = facts["activity_datetime"].dt
    for ym in sorted((t.year * 100 + t.month).unique()):
        y, m = divmod(int(ym), 100)
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        conn.execute(text(f"CREATE TABLE {schema}.fact_activity_{y:04d}_{m:02d} PARTITION OF {schema}.fact_activity"
                          f" FOR VALUES FROM ('{y:04d}-{m:02d}-01 00:00:00+00') TO ('{ny:04d}-{nm:02d}-01 00:00:00+00')"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--csv", required=True)
    p.add_argument("--dsn", required=True, help="postgresql+psycopg2://user@host:port/db")
    p.add_argument("--schema", required=True)
    p.add_argument("--method", choices=["default", "multi"], default="default")
    p.add_argument("--chunksize", type=int, default=10000)
    args = p.parse_args()
    engine = create_engine(args.dsn)
    create_tables(engine, args.schema)
    method = None if args.method == "default" else "multi"

    start = time.perf_counter()
    df = pd.read_csv(args.csv, dtype=str, keep_default_na=True)
    facts, rejects = clean(df)
    rejects.insert(0, "file", os.path.basename(args.csv))
    with engine.begin() as conn:                     # one transaction: all or nothing, committed on leaving
        create_partitions(conn, args.schema, facts)
        rejects.to_sql("etl_rejects", conn, schema=args.schema, if_exists="append", index=False,
                       chunksize=args.chunksize, method=method)
        facts.to_sql("fact_activity", conn, schema=args.schema, if_exists="append", index=False,
                     chunksize=args.chunksize, method=method)
    seconds = time.perf_counter() - start

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB", file=sys.stderr)
    print(json.dumps({"rows_read": len(df), "rows_loaded": len(facts), "rows_rejected": len(rejects),
                      "seconds": round(seconds, 3), "method": args.method}))


if __name__ == "__main__":
    main()
