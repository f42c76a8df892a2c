-- The audit log of staff actions: append-only (no code path updates or deletes a row).
create table audit_log (
  id bigserial primary key,
  at timestamptz not null,
  actor text not null,
  action text not null,
  target text not null,
  detail jsonb
);
create index audit_log_actor on audit_log (actor, id desc);
create index audit_log_target on audit_log (target, id desc);
