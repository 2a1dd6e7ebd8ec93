-- Symbols, bars, indicator values (L3) and job records for the embedded store.
-- WITHOUT ROWID tables are clustered on their primary key, which is exactly the
-- range-read order: (symbol, freq, ts).
create table if not exists symbols (
    code      text primary key,
    name      text not null,
    exchange  text not null,
    listed_on text
);

create table if not exists bars (
    symbol text    not null,
    freq   text    not null,
    ts     integer not null,
    open   real    not null,
    high   real    not null,
    low    real    not null,
    close  real    not null,
    volume real    not null,
    primary key (symbol, freq, ts),
    check (high >= low and volume >= 0)
) without rowid;

create table if not exists indicator_values (
    symbol      text    not null,
    code        text    not null,
    params_hash text    not null,
    freq        text    not null,
    ts          integer not null,
    vals        text    not null, -- JSON array of the outputs, null inside the lookback
    primary key (symbol, code, params_hash, freq, ts)
) without rowid;

create table if not exists jobs (
    task_id     text primary key,
    task_type   text    not null,
    status      text    not null,
    progress    real    not null default 0,
    processed   integer not null default 0,
    total       integer not null default 0,
    failed      integer not null default 0,
    started_at  integer,
    finished_at integer,
    result      text,
    updated_at  integer not null
);
