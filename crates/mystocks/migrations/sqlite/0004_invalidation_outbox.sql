-- Invalidations that Redis could not carry when bars were written (Redis down): kept
-- here, in the store that took the write, until an instance that reaches Redis deletes
-- those symbols' L2 values and tells the other instances. Until then no instance takes
-- a value without a revision (one written by another system) for these symbols.
create table if not exists invalidation_outbox (
    id     integer primary key autoincrement,
    symbol text    not null
);
create index if not exists invalidation_outbox_symbol on invalidation_outbox (symbol);
