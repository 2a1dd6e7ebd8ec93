-- When the stored indicator values were computed (epoch seconds), so a result rebuilt
-- from the L3 tier carries its real computation time.
alter table indicator_values add column if not exists computed_at bigint;
