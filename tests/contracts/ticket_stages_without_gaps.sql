-- A later stage never happens without the earlier ones; a callback result needs a callback.
select ticket_id
from tickets
where (routed_at is not null and responded_at is null)
   or (resolved_at is not null and routed_at is null)
   or (callback_at is not null and resolved_at is null)
   or ((callback_result is null) != (callback_at is null))
