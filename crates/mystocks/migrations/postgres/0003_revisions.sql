-- Bar revisions, so that no cached result outlives the bars it was computed from.
--
-- One counter, increased by every write of bars in the writing transaction (its row
-- lock, taken first and held to commit, orders the writers, so revisions commit in
-- order), and per (symbol, freq) series the counter's value at its last write. A result
-- records the revision of the series it was computed over; a tier answers only while
-- that is still the series' revision. Watchers poll `rev > last seen` to learn which
-- series changed, even when Redis is down.
create table if not exists store_counters (
    name  text primary key,
    value bigint not null
);
insert into store_counters (name, value) values ('bars_rev', 1) on conflict (name) do nothing;

create table if not exists bar_series (
    symbol text   not null,
    freq   text   not null,
    rev    bigint not null,
    primary key (symbol, freq)
);
create index if not exists bar_series_rev on bar_series (rev);
insert into bar_series (symbol, freq, rev) select symbol, freq, 1 from bars group by symbol, freq
    on conflict (symbol, freq) do nothing;

-- The L3 tier again, now saying what each row covers: `span` 0 is a result over every
-- bar of the series (what a request without a range asks for), N > 0 the latest N bars
-- (the daily job's window); `bars_rev` is the series' revision it was computed at.
-- Rows written before revisions existed cannot say what they cover: they are dropped
-- (this is a cache; the next read recomputes).
drop table if exists indicator_values;
create table indicator_values (
    symbol      text               not null,
    code        text               not null,
    params_hash text               not null,
    freq        text               not null,
    span        integer            not null,
    ts          bigint             not null,
    vals        double precision[] not null, -- outputs in order, null inside the lookback
    computed_at bigint,
    bars_rev    bigint             not null,
    primary key (symbol, code, params_hash, freq, span, ts)
);
create index if not exists indicator_values_ts_brin on indicator_values using brin (ts);

-- What a task was started with (its symbols and as-of time), so that a resume runs the
-- same job.
alter table jobs add column if not exists spec text;
