-- The latest quote per symbol (`POST /api/market/quotes`), so that embedded mode and a
-- restart keep it; Redis (`mkt:qt:{symbol}`, 5 s) and L1 only cache it. A quote older
-- than the one stored never replaces it. `ts` is epoch milliseconds.
create table if not exists quotes (
    symbol      text    primary key,
    price       real    not null,
    volume      real    not null,
    ts          integer not null,
    received_at integer not null
) without rowid;
