-- The latest quote per symbol (`POST /api/market/quotes`), so that embedded mode and a
-- restart keep it; Redis (`mkt:qt:{symbol}`, 5 s) and L1 only cache it. A quote older
-- than the one stored never replaces it. `ts` is epoch milliseconds.
create table if not exists quotes (
    symbol      text             primary key,
    price       double precision not null,
    volume      double precision not null,
    ts          bigint           not null,
    received_at bigint           not null
);
