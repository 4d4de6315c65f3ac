-- Visits end after they start and last under a day; done tasks never exceed required ones.
select visit_id
from visits
where ended_at < started_at
   or ended_at - started_at > interval 24 hour
   or tasks_done > tasks_required
