-- received <= responded <= routed <= resolved <= callback, for the stages that happened.
select ticket_id
from tickets
where responded_at < received_at
   or routed_at < coalesce(responded_at, received_at)
   or resolved_at < coalesce(routed_at, responded_at, received_at)
   or callback_at < coalesce(resolved_at, routed_at, responded_at, received_at)
