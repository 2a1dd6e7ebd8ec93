-- Symbols, bars, indicator values (L3) and job records for PostgreSQL.
--
-- Time-series layout: the primary key (symbol, freq, ts) is the btree that serves the
-- hot path, range reads of one symbol; a BRIN index on ts serves whole-market time
-- scans at a few pages per million rows, because bars arrive in time order and BRIN
-- summarises physically adjacent blocks. This was chosen over range partitioning:
-- the hot path never spans partitions' worth of time, and partitioning would add
-- per-partition upsert routing to every import for no read benefit at our sizes.
create table if not exists symbols (
    code      text primary key,
    name      text not null,
    exchange  text not null,
    listed_on text
);

create table if not exists bars (
    symbol text             not null,
    freq   text             not null,
    ts     bigint           not null,
    open   double precision not null,
    high   double precision not null,
    low    double precision not null,
    close  double precision not null,
    volume double precision not null,
    primary key (symbol, freq, ts),
    check (high >= low and volume >= 0)
);
create index if not exists bars_ts_brin on bars using brin (ts);

create table if not exists indicator_values (
    symbol      text               not null,
    code        text               not null,
    params_hash text               not null,
    freq        text               not null,
    ts          bigint             not null,
    vals        double precision[] not null, -- outputs in order, null inside the lookback
    primary key (symbol, code, params_hash, freq, ts)
);
create index if not exists indicator_values_ts_brin on indicator_values using brin (ts);

create table if not exists jobs (
    task_id     text primary key,
    task_type   text             not null,
    status      text             not null,
    progress    double precision not null default 0,
    processed   bigint           not null default 0,
    total       bigint           not null default 0,
    failed      bigint           not null default 0,
    started_at  bigint,
    finished_at bigint,
    result      text,
    updated_at  bigint           not null
);
